/*
 * What the fuzz targets in scripts/fuzz/ share: CHECK, which reports the failed condition with
 * the target's name (FUZZ_TARGET, defined before this is included) and its line and aborts, so
 * libFuzzer keeps the input; and, with -DWBC_REPLAY, a plain main that runs
 * LLVMFuzzerTestOneInput on every file named on its command line (the regression corpus,
 * replayed by HelperFuzzRegressionTests in the normal test run).
 */
#ifndef WBUILD_FUZZ_HARNESS_H
#define WBUILD_FUZZ_HARNESS_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#ifndef FUZZ_TARGET
#error "define FUZZ_TARGET (the target's name, a string) before including fuzz-harness.h"
#endif

#define CHECK(condition) \
    do { \
        if (!(condition)) { \
            fprintf(stderr, FUZZ_TARGET ": check failed: %s (line %d)\n", #condition, __LINE__); \
            abort(); \
        } \
    } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#ifdef WBC_REPLAY
int main(int argc, char **argv) {
    for (int index = 1; index < argc; index++) {
        FILE *file = fopen(argv[index], "rb");
        if (file == NULL) {
            perror(argv[index]);
            return 2;
        }
        static uint8_t bytes[1 << 20];
        size_t size = fread(bytes, 1, sizeof bytes, file);
        fclose(file);
        LLVMFuzzerTestOneInput(bytes, size);
    }
    printf("replayed %d inputs\n", argc - 1);
    return 0;
}
#endif

#endif
