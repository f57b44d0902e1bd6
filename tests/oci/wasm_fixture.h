/* A small hand-made component (imports wasi:cli/environment, exports
 * wasi:http/incoming-handler) and a core module, for tests. */
#ifndef FUNCP_TESTS_OCI_WASM_FIXTURE_H
#define FUNCP_TESTS_OCI_WASM_FIXTURE_H

#include <stddef.h>
#include <stdint.h>

static const uint8_t fixture_component[] = {
    0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00,
    /* import section: 1 import, "wasi:cli/environment@0.2.3", instance type 0 */
    0x0a, 0x1f, 0x01, 0x00, 0x1a, 'w', 'a', 's', 'i', ':', 'c', 'l', 'i', '/', 'e', 'n', 'v', 'i', 'r', 'o', 'n',
    'm', 'e', 'n', 't', '@', '0', '.', '2', '.', '3', 0x05, 0x00,
    /* export section: 1 export, "wasi:http/incoming-handler@0.2.3", instance 0 */
    0x0b, 0x26, 0x01, 0x00, 0x20, 'w', 'a', 's', 'i', ':', 'h', 't', 't', 'p', '/', 'i', 'n', 'c', 'o', 'm', 'i',
    'n', 'g', '-', 'h', 'a', 'n', 'd', 'l', 'e', 'r', '@', '0', '.', '2', '.', '3', 0x05, 0x00, 0x00,
};

static const uint8_t fixture_module[] = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
                                         0x01, 0x04, 0x01, 0x60, 0x00, 0x00};

#endif
