// SPDX-License-Identifier: GPL-3.0-or-later
//
// libFuzzer target for the safetensors header parser. The input is a whole
// file: the 8-byte header length, the JSON header, then the data section.
#include "checkpoint/safetensors.h"
#include "common/error.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>

using namespace halfscope;

namespace {

[[noreturn]] void failInvariant(const char *what)
{
    std::fprintf(stderr, "parseSafetensorsHeader returned a header that breaks its contract: %s\n", what);
    std::abort();
}

// Checks what parseSafetensorsHeader promises for every header it returns:
// entries ordered by position that cover the data section without gaps.
void checkHeader(const SafetensorsHeader &header, qint64 headerLength, qint64 dataSize)
{
    if (header.dataOffset != 8 + headerLength || header.dataSize != dataSize)
        failInvariant("dataOffset or dataSize differs from the input");

    int64_t expectedBegin = 0;
    for (const SafetensorsEntry &entry : header.entries) {
        if (entry.dataBegin != expectedBegin || entry.dataEnd < entry.dataBegin)
            failInvariant("entries do not tile the data section");
        if (entry.elementCount < 0 || entry.dtype.isEmpty())
            failInvariant("entry without dtype or with a negative element count");
        for (const int64_t dimension : entry.shape) {
            if (dimension < 0)
                failInvariant("negative dimension");
        }
        if (!header.find(entry.name))
            failInvariant("find() misses an entry");
        expectedBegin = entry.dataEnd;
    }
    if (expectedBegin != dataSize)
        failInvariant("entries end before the data section does");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView input(reinterpret_cast<const char *>(data), qsizetype(size));
    const QString source = QStringLiteral("fuzz input");
    try {
        const qint64 headerLength = parseSafetensorsHeaderLength(input, qint64(size), source);
        const qint64 dataSize = qint64(size) - 8 - headerLength;
        const SafetensorsHeader header =
            parseSafetensorsHeader(input.sliced(8, headerLength), dataSize, source);
        checkHeader(header, headerLength, dataSize);
    } catch (const Error &) {
        // Rejecting invalid input with Error is the expected outcome.
    }
    return 0;
}
