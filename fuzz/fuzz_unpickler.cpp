// SPDX-License-Identifier: GPL-3.0-or-later
//
// libFuzzer target for the restricted unpickler. The input is one pickle.
// Every persistent id that is a tuple becomes a Storage, as torch.save's
// ('storage', type, key, location, numel) ids do, so that the fuzzer reaches
// tensor rebuilding.
#include "checkpoint/picklevalue.h"
#include "checkpoint/unpickler.h"
#include "common/error.h"

#include <cstdint>
#include <unordered_set>
#include <vector>

using namespace halfscope;
using Kind = PickleValue::Kind;

namespace {

PickleValuePtr loadStorage(const PickleValuePtr &persistentId)
{
    if (!persistentId || persistentId->kind != Kind::Tuple)
        throw Error(QStringLiteral("fuzz input: the persistent id is not a tuple"));

    auto storage = std::make_shared<StorageRef>();
    storage->key = QStringLiteral("0");
    storage->dtype = QStringLiteral("float32");
    storage->location = QStringLiteral("cpu");
    storage->elementCount = 1024;
    const std::vector<PickleValuePtr> &items = persistentId->items;
    auto itemOfKind = [&items](size_t index, Kind kind) {
        return index < items.size() && items[index] && items[index]->kind == kind ? items[index] : nullptr;
    };
    if (const PickleValuePtr key = itemOfKind(2, Kind::String))
        storage->key = key->text;
    if (const PickleValuePtr location = itemOfKind(3, Kind::String))
        storage->location = location->text;
    if (const PickleValuePtr count = itemOfKind(4, Kind::Int))
        storage->elementCount = count->intValue;

    PickleValuePtr value = PickleValue::make(Kind::Storage);
    value->storage = storage;
    return value;
}

// Calls the accessors of every value reachable from root once. Values can
// form cycles and long chains, so this walks with a work list and a visited
// set instead of recursion.
void visitAll(const PickleValuePtr &root)
{
    std::unordered_set<const PickleValue *> visited;
    std::vector<const PickleValue *> pending { root.get() };
    while (!pending.empty()) {
        const PickleValue *value = pending.back();
        pending.pop_back();
        if (!value || !visited.insert(value).second)
            continue;

        (void)value->typeName();
        if (value->kind == Kind::Dict)
            (void)value->find(QStringLiteral("state_dict"));
        if (value->tensor) {
            (void)value->tensor->elementCount();
            (void)value->tensor->byteCount();
            (void)value->tensor->shapeText();
        }
        if (value->storage)
            (void)elementSize(value->storage->dtype);

        for (const PickleValuePtr &item : value->items)
            pending.push_back(item.get());
        for (const auto &[key, entryValue] : value->entries) {
            pending.push_back(key.get());
            pending.push_back(entryValue.get());
        }
        pending.push_back(value->state.get());
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView input(reinterpret_cast<const char *>(data), qsizetype(size));
    try {
        qsizetype bytesRead = 0;
        const PickleValuePtr root = unpickle(input, QStringLiteral("fuzz input"), loadStorage, &bytesRead);
        if (bytesRead <= 0 || bytesRead > input.size())
            __builtin_trap();
        visitAll(root);
    } catch (const Error &) {
        // Rejecting invalid input with Error is the expected outcome.
    }
    return 0;
}
