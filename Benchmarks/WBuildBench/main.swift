print("wbuild-bench")
