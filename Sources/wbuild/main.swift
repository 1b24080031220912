print("wbuild")
