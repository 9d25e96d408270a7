// Only the header matters: libFuzzer defines LLVMFuzzerRunDriver.
#include "FuzzDriver.h"
