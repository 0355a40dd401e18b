// SPDX-License-Identifier: GPL-3.0-or-later
#include "checkpoint/unpickler.h"

#include "common/error.h"

#include <QStringList>
#include <QtEndian>

#include <cmath>
#include <cstring>
#include <limits>
#include <unordered_map>

namespace halfscope {

namespace {

using Kind = PickleValue::Kind;

/// Reads opcodes and their arguments; every read is bounds-checked.
class Reader
{
public:
    Reader(QByteArrayView data, const QString &source)
        : m_data(data)
        , m_source(source)
    {
    }

    qsizetype position() const { return m_position; }

    quint8 byte()
    {
        need(1);
        return quint8(m_data[m_position++]);
    }

    QByteArrayView take(qint64 count)
    {
        if (count < 0)
            fail(QStringLiteral("a negative length"));
        need(count);
        const QByteArrayView slice = m_data.sliced(m_position, qsizetype(count));
        m_position += qsizetype(count);
        return slice;
    }

    template<typename T>
    T little()
    {
        const QByteArrayView raw = take(sizeof(T));
        return qFromLittleEndian<T>(raw.data());
    }

    /// Reads up to and excluding the next newline (protocol 0 arguments).
    QByteArray line()
    {
        const qsizetype end = m_data.indexOf('\n', m_position);
        if (end < 0)
            fail(QStringLiteral("a line without its newline"));
        const QByteArray text = m_data.sliced(m_position, end - m_position).toByteArray();
        m_position = end + 1;
        return text;
    }

    [[noreturn]] void fail(const QString &what) const
    {
        throw Error(QStringLiteral("Cannot read %1: the pickle is malformed (%2 at byte %3). The "
                                   "file is damaged or not a PyTorch checkpoint.")
                        .arg(m_source, what)
                        .arg(m_position));
    }

private:
    void need(qint64 count) const
    {
        if (count > qint64(m_data.size() - m_position)) {
            throw Error(QStringLiteral("Cannot read %1: the pickle ends early (%2 bytes needed at "
                                       "byte %3 of %4). The file is truncated.")
                            .arg(m_source)
                            .arg(count)
                            .arg(m_position)
                            .arg(m_data.size()));
        }
    }

    QByteArrayView m_data;
    QString m_source;
    qsizetype m_position = 0;
};

/// Decodes a two's complement little-endian integer (LONG1, LONG4).
PickleValuePtr decodeLong(QByteArrayView bytes)
{
    if (bytes.isEmpty())
        return PickleValue::makeInt(0);
    if (bytes.size() <= 8) {
        uint64_t value = 0;
        for (qsizetype i = bytes.size() - 1; i >= 0; --i)
            value = (value << 8) | quint8(bytes[i]);
        const bool negative = quint8(bytes.back()) & 0x80;
        if (negative && bytes.size() < 8)
            value |= ~uint64_t(0) << (8 * bytes.size());
        return PickleValue::makeInt(int64_t(value));
    }
    PickleValuePtr big = PickleValue::makeInt(0);
    big->annotation = QStringLiteral("big");
    big->text = QStringLiteral("integer of %1 bytes").arg(bytes.size());
    big->bytes = bytes.toByteArray();
    return big;
}

const char *const kTorchDtypes[] = { "float32", "float", "float64", "double", "float16", "half",
                                     "bfloat16", "int64", "long", "int32", "int", "int16",
                                     "short", "int8", "uint8", "bool", "complex64", "complex128" };

QString canonicalDtype(const QString &name)
{
    if (name == QLatin1String("float"))
        return QStringLiteral("float32");
    if (name == QLatin1String("double"))
        return QStringLiteral("float64");
    if (name == QLatin1String("half"))
        return QStringLiteral("float16");
    if (name == QLatin1String("long"))
        return QStringLiteral("int64");
    if (name == QLatin1String("int"))
        return QStringLiteral("int32");
    if (name == QLatin1String("short"))
        return QStringLiteral("int16");
    return name;
}

/// Executes opcodes on a stack of PickleValues; "calls" only rebuild data.
class Machine
{
public:
    Machine(QByteArrayView data, const QString &source, const PersistentLoader &loader)
        : m_reader(data, source)
        , m_source(source)
        , m_loader(loader)
    {
    }

    PickleValuePtr run();
    qsizetype position() const { return m_reader.position(); }
    /// Replaces every reference that closes a cycle with a placeholder, so
    /// that reference counting can free the values.
    void breakCycles();
    /// Drops all links between the values made so far (after an error).
    void releaseAll();

private:
    void step(quint8 opcode);
    PickleValuePtr pop();
    PickleValuePtr &top();
    std::vector<PickleValuePtr> popToMark();
    void push(PickleValuePtr value)
    {
        m_created.push_back(value);
        m_stack.push_back(std::move(value));
    }
    void memoize(uint64_t index);
    void fetch(uint64_t index);
    void pushGlobal(const QString &module, const QString &name);
    PickleValuePtr call(const PickleValuePtr &callable, const PickleValuePtr &arguments);
    PickleValuePtr rebuildTensor(const std::vector<PickleValuePtr> &arguments);
    PickleValuePtr rebuildParameter(const std::vector<PickleValuePtr> &arguments);
    PickleValuePtr rebuildNumpyScalar(const std::vector<PickleValuePtr> &arguments);
    void build(const PickleValuePtr &target, const PickleValuePtr &state);
    void appendItems(const PickleValuePtr &target, std::vector<PickleValuePtr> items);
    void setItems(const PickleValuePtr &target, std::vector<PickleValuePtr> flat);
    PickleValuePtr persistentLoad(const PickleValuePtr &id);
    int64_t intArgument(const std::vector<PickleValuePtr> &arguments, size_t index, const char *what);
    std::vector<int64_t> intTuple(const PickleValuePtr &value, const char *what);
    PickleValuePtr makeString(QByteArrayView utf8) { return PickleValue::makeString(QString::fromUtf8(utf8)); }

    Reader m_reader;
    QString m_source;
    const PersistentLoader &m_loader;
    std::vector<PickleValuePtr> m_stack;
    std::vector<size_t> m_marks;
    std::unordered_map<uint64_t, PickleValuePtr> m_memo;
    /// Every value ever pushed, so that cycles among them can be broken even
    /// when they are no longer reachable from the result.
    std::vector<PickleValuePtr> m_created;
    bool m_stopped = false;
};

std::vector<PickleValuePtr *> childSlots(PickleValue &value)
{
    std::vector<PickleValuePtr *> slots;
    for (PickleValuePtr &item : value.items)
        slots.push_back(&item);
    for (auto &entry : value.entries) {
        slots.push_back(&entry.first);
        slots.push_back(&entry.second);
    }
    if (value.state)
        slots.push_back(&value.state);
    return slots;
}

void Machine::breakCycles()
{
    enum class Mark { Visiting, Done };
    std::unordered_map<const PickleValue *, Mark> marks;
    struct Frame
    {
        PickleValue *value;
        std::vector<PickleValuePtr *> slots;
        size_t next = 0;
    };

    for (const PickleValuePtr &start : m_created) {
        if (!start || marks.count(start.get()))
            continue;
        std::vector<Frame> path;
        marks[start.get()] = Mark::Visiting;
        path.push_back(Frame { start.get(), childSlots(*start) });
        while (!path.empty()) {
            Frame &frame = path.back();
            if (frame.next == frame.slots.size()) {
                marks[frame.value] = Mark::Done;
                path.pop_back();
                continue;
            }
            PickleValuePtr &slot = *frame.slots[frame.next++];
            if (!slot)
                continue;
            const auto mark = marks.find(slot.get());
            if (mark == marks.end()) {
                marks[slot.get()] = Mark::Visiting;
                PickleValue *child = slot.get();
                path.push_back(Frame { child, childSlots(*child) });
            } else if (mark->second == Mark::Visiting) {
                PickleValuePtr placeholder = PickleValue::make(Kind::Object);
                placeholder->text = QStringLiteral("(recursive reference to a %1)").arg(slot->typeName());
                placeholder->annotation = QStringLiteral("cycle");
                slot = placeholder;
            }
        }
    }
    m_created.clear();
    m_memo.clear();
}

void Machine::releaseAll()
{
    for (const PickleValuePtr &value : m_created) {
        value->items.clear();
        value->entries.clear();
        value->state.reset();
    }
    m_created.clear();
    m_memo.clear();
    m_stack.clear();
}

PickleValuePtr Machine::run()
{
    while (!m_stopped)
        step(m_reader.byte());
    if (m_stack.size() != 1 || !m_marks.empty())
        m_reader.fail(QStringLiteral("%1 values left on the stack at STOP").arg(m_stack.size()));
    return m_stack.back();
}

PickleValuePtr Machine::pop()
{
    if (m_stack.empty() || (!m_marks.empty() && m_stack.size() <= m_marks.back()))
        m_reader.fail(QStringLiteral("a pop from an empty stack"));
    PickleValuePtr value = std::move(m_stack.back());
    m_stack.pop_back();
    return value;
}

PickleValuePtr &Machine::top()
{
    if (m_stack.empty())
        m_reader.fail(QStringLiteral("an empty stack"));
    return m_stack.back();
}

std::vector<PickleValuePtr> Machine::popToMark()
{
    if (m_marks.empty())
        m_reader.fail(QStringLiteral("a missing MARK"));
    const size_t mark = m_marks.back();
    m_marks.pop_back();
    std::vector<PickleValuePtr> items(std::make_move_iterator(m_stack.begin() + qsizetype(mark)),
                                      std::make_move_iterator(m_stack.end()));
    m_stack.resize(mark);
    return items;
}

void Machine::memoize(uint64_t index)
{
    m_memo[index] = top();
}

void Machine::fetch(uint64_t index)
{
    const auto found = m_memo.find(index);
    if (found == m_memo.end())
        m_reader.fail(QStringLiteral("a reference to memo entry %1, which was never stored").arg(index));
    push(found->second);
}

void Machine::pushGlobal(const QString &module, const QString &name)
{
    // Python 2 pickles name the builtins module "__builtin__".
    const QString moduleName = module == QLatin1String("__builtin__") ? QStringLiteral("builtins") : module;
    if (moduleName == QLatin1String("torch")) {
        for (const char *dtype : kTorchDtypes) {
            if (name == QLatin1String(dtype)) {
                PickleValuePtr value = PickleValue::make(Kind::Dtype);
                value->text = canonicalDtype(name);
                push(value);
                return;
            }
        }
    }
    PickleValuePtr global = PickleValue::make(Kind::Global);
    global->text = moduleName + QLatin1Char('.') + name;
    push(global);
}

void Machine::step(quint8 opcode)
{
    switch (opcode) {
    case 0x80: // PROTO
        if (m_reader.byte() > 5)
            m_reader.fail(QStringLiteral("pickle protocol newer than 5"));
        break;
    case 0x95: // FRAME: frames only group opcodes, so the length is skipped.
        m_reader.little<quint64>();
        break;
    case '.': // STOP
        m_stopped = true;
        break;
    case '(': // MARK
        m_marks.push_back(m_stack.size());
        break;
    case '0': // POP
        if (!m_marks.empty() && m_marks.back() == m_stack.size())
            m_marks.pop_back();
        else
            pop();
        break;
    case '1': // POP_MARK
        popToMark();
        break;
    case '2': // DUP
        push(top());
        break;
    case 'N':
        push(PickleValue::make(Kind::None));
        break;
    case 0x88: // NEWTRUE
    case 0x89: { // NEWFALSE
        PickleValuePtr value = PickleValue::make(Kind::Bool);
        value->boolValue = opcode == 0x88;
        push(value);
        break;
    }
    case 'J': // BININT
        push(PickleValue::makeInt(m_reader.little<qint32>()));
        break;
    case 'K': // BININT1
        push(PickleValue::makeInt(m_reader.byte()));
        break;
    case 'M': // BININT2
        push(PickleValue::makeInt(m_reader.little<quint16>()));
        break;
    case 0x8a: // LONG1
        push(decodeLong(m_reader.take(m_reader.byte())));
        break;
    case 0x8b: // LONG4
        push(decodeLong(m_reader.take(m_reader.little<qint32>())));
        break;
    case 'I': { // INT, protocol 0: also spells True and False
        const QByteArray text = m_reader.line().trimmed();
        if (text == "01" || text == "00") {
            PickleValuePtr value = PickleValue::make(Kind::Bool);
            value->boolValue = text == "01";
            push(value);
            break;
        }
        bool ok = false;
        const qlonglong value = text.toLongLong(&ok);
        if (!ok)
            m_reader.fail(QStringLiteral("an invalid INT"));
        push(PickleValue::makeInt(value));
        break;
    }
    case 'L': { // LONG, protocol 0
        QByteArray text = m_reader.line().trimmed();
        if (text.endsWith('L'))
            text.chop(1);
        bool ok = false;
        const qlonglong value = text.toLongLong(&ok);
        if (!ok)
            m_reader.fail(QStringLiteral("an invalid LONG"));
        push(PickleValue::makeInt(value));
        break;
    }
    case 'G': { // BINFLOAT, big-endian
        const QByteArrayView raw = m_reader.take(8);
        const quint64 bits = qFromBigEndian<quint64>(raw.data());
        PickleValuePtr value = PickleValue::make(Kind::Float);
        std::memcpy(&value->floatValue, &bits, sizeof(double));
        push(value);
        break;
    }
    case 'F': { // FLOAT, protocol 0
        bool ok = false;
        PickleValuePtr value = PickleValue::make(Kind::Float);
        value->floatValue = m_reader.line().trimmed().toDouble(&ok);
        if (!ok)
            m_reader.fail(QStringLiteral("an invalid FLOAT"));
        push(value);
        break;
    }
    case 'X': // BINUNICODE
        push(makeString(m_reader.take(m_reader.little<quint32>())));
        break;
    case 0x8c: // SHORT_BINUNICODE
        push(makeString(m_reader.take(m_reader.byte())));
        break;
    case 0x8d: // BINUNICODE8
        push(makeString(m_reader.take(qint64(m_reader.little<quint64>() & 0x7fffffffffffffffULL))));
        break;
    case 'V': // UNICODE, protocol 0 (raw-unicode-escape; kept as UTF-8 text)
        push(makeString(m_reader.line()));
        break;
    case 'S': { // STRING, protocol 0: a quoted Python 2 str
        QByteArray text = m_reader.line().trimmed();
        if (text.size() >= 2 && (text.front() == '\'' || text.front() == '"'))
            text = text.mid(1, text.size() - 2);
        push(PickleValue::makeString(QString::fromLatin1(text)));
        break;
    }
    case 'T': // BINSTRING: Python 2 str, decoded as Latin-1 like torch.load's default
        push(PickleValue::makeString(QString::fromLatin1(m_reader.take(m_reader.little<qint32>()))));
        break;
    case 'U': // SHORT_BINSTRING
        push(PickleValue::makeString(QString::fromLatin1(m_reader.take(m_reader.byte()))));
        break;
    case 'B':    // BINBYTES
    case 'C':    // SHORT_BINBYTES
    case 0x8e:   // BINBYTES8
    case 0x96: { // BYTEARRAY8
        qint64 length = 0;
        if (opcode == 'B')
            length = m_reader.little<quint32>();
        else if (opcode == 'C')
            length = m_reader.byte();
        else
            length = qint64(m_reader.little<quint64>() & 0x7fffffffffffffffULL);
        PickleValuePtr value = PickleValue::make(Kind::Bytes);
        value->bytes = m_reader.take(length).toByteArray();
        push(value);
        break;
    }
    case ']': // EMPTY_LIST
        push(PickleValue::make(Kind::List));
        break;
    case 'l': { // LIST
        PickleValuePtr list = PickleValue::make(Kind::List);
        list->items = popToMark();
        push(list);
        break;
    }
    case 'a': { // APPEND
        PickleValuePtr item = pop();
        appendItems(top(), { item });
        break;
    }
    case 'e': { // APPENDS
        std::vector<PickleValuePtr> items = popToMark();
        appendItems(top(), std::move(items));
        break;
    }
    case ')': // EMPTY_TUPLE
        push(PickleValue::make(Kind::Tuple));
        break;
    case 't': { // TUPLE
        PickleValuePtr tuple = PickleValue::make(Kind::Tuple);
        tuple->items = popToMark();
        push(tuple);
        break;
    }
    case 0x85: // TUPLE1
    case 0x86: // TUPLE2
    case 0x87: { // TUPLE3
        PickleValuePtr tuple = PickleValue::make(Kind::Tuple);
        tuple->items.resize(size_t(opcode - 0x84));
        for (auto item = tuple->items.rbegin(); item != tuple->items.rend(); ++item)
            *item = pop();
        push(tuple);
        break;
    }
    case '}': // EMPTY_DICT
        push(PickleValue::make(Kind::Dict));
        break;
    case 'd': { // DICT
        PickleValuePtr dict = PickleValue::make(Kind::Dict);
        setItems(dict, popToMark());
        push(dict);
        break;
    }
    case 's': { // SETITEM
        PickleValuePtr value = pop();
        PickleValuePtr key = pop();
        setItems(top(), { key, value });
        break;
    }
    case 'u': { // SETITEMS
        std::vector<PickleValuePtr> flat = popToMark();
        setItems(top(), std::move(flat));
        break;
    }
    case 0x8f: // EMPTY_SET
        push(PickleValue::make(Kind::Set));
        break;
    case 0x90: { // ADDITEMS
        std::vector<PickleValuePtr> items = popToMark();
        appendItems(top(), std::move(items));
        break;
    }
    case 0x91: { // FROZENSET
        PickleValuePtr set = PickleValue::make(Kind::Set);
        set->items = popToMark();
        push(set);
        break;
    }
    case 'p': // PUT
    {
        bool ok = false;
        const qulonglong index = m_reader.line().trimmed().toULongLong(&ok);
        if (!ok)
            m_reader.fail(QStringLiteral("an invalid PUT index"));
        memoize(index);
        break;
    }
    case 'q': // BINPUT
        memoize(m_reader.byte());
        break;
    case 'r': // LONG_BINPUT
        memoize(m_reader.little<quint32>());
        break;
    case 0x94: // MEMOIZE
        memoize(m_memo.size());
        break;
    case 'g': { // GET
        bool ok = false;
        const qulonglong index = m_reader.line().trimmed().toULongLong(&ok);
        if (!ok)
            m_reader.fail(QStringLiteral("an invalid GET index"));
        fetch(index);
        break;
    }
    case 'h': // BINGET
        fetch(m_reader.byte());
        break;
    case 'j': // LONG_BINGET
        fetch(m_reader.little<quint32>());
        break;
    case 'c': { // GLOBAL
        const QString module = QString::fromUtf8(m_reader.line());
        const QString name = QString::fromUtf8(m_reader.line());
        pushGlobal(module, name);
        break;
    }
    case 0x93: { // STACK_GLOBAL
        PickleValuePtr name = pop();
        PickleValuePtr module = pop();
        if (module->kind != Kind::String || name->kind != Kind::String)
            m_reader.fail(QStringLiteral("STACK_GLOBAL without two strings"));
        pushGlobal(module->text, name->text);
        break;
    }
    case 'R': { // REDUCE
        PickleValuePtr arguments = pop();
        PickleValuePtr callable = pop();
        push(call(callable, arguments));
        break;
    }
    case 0x81: { // NEWOBJ
        PickleValuePtr arguments = pop();
        PickleValuePtr cls = pop();
        push(call(cls, arguments));
        break;
    }
    case 0x92: { // NEWOBJ_EX
        PickleValuePtr keywords = pop();
        PickleValuePtr arguments = pop();
        PickleValuePtr cls = pop();
        PickleValuePtr object = call(cls, arguments);
        if (object->kind == Kind::Object && keywords->kind == Kind::Dict)
            object->entries = keywords->entries;
        push(object);
        break;
    }
    case 'o': { // OBJ
        std::vector<PickleValuePtr> items = popToMark();
        if (items.empty())
            m_reader.fail(QStringLiteral("OBJ without a class"));
        PickleValuePtr arguments = PickleValue::make(Kind::Tuple);
        arguments->items.assign(items.begin() + 1, items.end());
        push(call(items.front(), arguments));
        break;
    }
    case 'i': { // INST
        const QString module = QString::fromUtf8(m_reader.line());
        const QString name = QString::fromUtf8(m_reader.line());
        pushGlobal(module, name);
        PickleValuePtr cls = pop();
        PickleValuePtr arguments = PickleValue::make(Kind::Tuple);
        arguments->items = popToMark();
        push(call(cls, arguments));
        break;
    }
    case 'b': { // BUILD
        PickleValuePtr state = pop();
        build(top(), state);
        break;
    }
    case 'Q': // BINPERSID
        push(persistentLoad(pop()));
        break;
    case 'P': // PERSID
        push(persistentLoad(makeString(m_reader.line())));
        break;
    case 0x82: // EXT1
    case 0x83: // EXT2
    case 0x84: // EXT4
        m_reader.fail(QStringLiteral("an extension-registry opcode, which checkpoints never use"));
    case 0x97: // NEXT_BUFFER
    case 0x98: // READONLY_BUFFER
        m_reader.fail(QStringLiteral("an out-of-band buffer opcode, which torch.save never writes"));
    default:
        m_reader.fail(QStringLiteral("unknown opcode 0x%1").arg(opcode, 2, 16, QLatin1Char('0')));
    }
}

void Machine::appendItems(const PickleValuePtr &target, std::vector<PickleValuePtr> items)
{
    if (target->kind != Kind::List && target->kind != Kind::Set && target->kind != Kind::Object)
        m_reader.fail(QStringLiteral("APPEND to a %1").arg(target->typeName()));
    target->items.insert(target->items.end(), std::make_move_iterator(items.begin()),
                         std::make_move_iterator(items.end()));
}

void Machine::setItems(const PickleValuePtr &target, std::vector<PickleValuePtr> flat)
{
    if (flat.size() % 2 != 0)
        m_reader.fail(QStringLiteral("SETITEMS with an odd number of values"));
    if (target->kind != Kind::Dict && target->kind != Kind::Object)
        m_reader.fail(QStringLiteral("SETITEM on a %1").arg(target->typeName()));
    for (size_t i = 0; i < flat.size(); i += 2) {
        // A later value for an equal string key replaces the earlier one, as in a dict.
        bool replaced = false;
        if (flat[i]->kind == Kind::String) {
            for (auto &entry : target->entries) {
                if (entry.first->kind == Kind::String && entry.first->text == flat[i]->text) {
                    entry.second = flat[i + 1];
                    replaced = true;
                    break;
                }
            }
        }
        if (!replaced)
            target->entries.emplace_back(flat[i], flat[i + 1]);
    }
}

/// Decodes a small numpy array from ndarray.__setstate__'s state
/// (version, shape, dtype, is_fortran, raw bytes) into a List of numbers.
/// Returns false for layouts it does not decode (object arrays, big-endian,
/// more than kMaxArrayElements elements); those stay placeholders.
bool decodeNumpyArray(PickleValue &target, const PickleValuePtr &state)
{
    constexpr int64_t kMaxArrayElements = 4096;
    if (state->kind != Kind::Tuple || state->items.size() < 5)
        return false;
    const PickleValuePtr &shape = state->items[1];
    const PickleValuePtr &dtype = state->items[2];
    const PickleValuePtr &raw = state->items[4];
    if (shape->kind != Kind::Tuple || dtype->kind != Kind::Object || dtype->items.empty()
        || raw->kind != Kind::Bytes)
        return false;
    if (dtype->state && dtype->state->kind == Kind::Tuple && dtype->state->items.size() > 1
        && dtype->state->items[1]->text == QLatin1String(">"))
        return false;

    int64_t count = 1;
    QStringList dims;
    for (const PickleValuePtr &dim : shape->items) {
        if (dim->kind != Kind::Int || dim->intValue < 0 || dim->intValue > kMaxArrayElements)
            return false;
        count *= dim->intValue;
        dims << QString::number(dim->intValue);
    }
    const QString code = dtype->items.front()->text;
    const int size = code.size() == 2 ? code.mid(1).toInt() : 0;
    const QChar type = code.isEmpty() ? QChar() : code.front();
    if (count > kMaxArrayElements || size <= 0 || raw->bytes.size() != count * size)
        return false;

    std::vector<PickleValuePtr> values;
    const char *bytes = raw->bytes.constData();
    for (int64_t i = 0; i < count; ++i, bytes += size) {
        if (type == QLatin1Char('f') && (size == 4 || size == 8)) {
            PickleValuePtr value = PickleValue::make(Kind::Float);
            if (size == 4) {
                float number = 0.0f;
                std::memcpy(&number, bytes, 4);
                value->floatValue = number;
            } else {
                std::memcpy(&value->floatValue, bytes, 8);
            }
            values.push_back(value);
        } else if (type == QLatin1Char('i') && (size == 4 || size == 8)) {
            int64_t number = 0;
            if (size == 4) {
                qint32 narrow = 0;
                std::memcpy(&narrow, bytes, 4);
                number = narrow;
            } else {
                std::memcpy(&number, bytes, 8);
            }
            values.push_back(PickleValue::makeInt(number));
        } else {
            return false;
        }
    }
    target.kind = Kind::List;
    target.items = std::move(values);
    target.annotation = QStringLiteral("numpy.ndarray %1%2 [%3]")
                            .arg(type == QLatin1Char('f') ? QStringLiteral("float") : QStringLiteral("int"))
                            .arg(size * 8)
                            .arg(dims.join(QLatin1String(", ")));
    return true;
}

void Machine::build(const PickleValuePtr &target, const PickleValuePtr &state)
{
    if (target->kind == Kind::Object && target->text == QLatin1String("numpy.ndarray")
        && decodeNumpyArray(*target, state))
        return;
    target->state = state;
}

PickleValuePtr Machine::persistentLoad(const PickleValuePtr &id)
{
    if (!m_loader) {
        m_reader.fail(QStringLiteral("a persistent id, which only checkpoint archives may contain"));
    }
    return m_loader(id);
}

int64_t Machine::intArgument(const std::vector<PickleValuePtr> &arguments, size_t index, const char *what)
{
    if (index >= arguments.size() || arguments[index]->kind != Kind::Int)
        m_reader.fail(QStringLiteral("%1 is not an integer").arg(QLatin1String(what)));
    return arguments[index]->intValue;
}

std::vector<int64_t> Machine::intTuple(const PickleValuePtr &value, const char *what)
{
    if (value->kind != Kind::Tuple && value->kind != Kind::List)
        m_reader.fail(QStringLiteral("%1 is not a tuple").arg(QLatin1String(what)));
    std::vector<int64_t> numbers;
    for (const PickleValuePtr &item : value->items) {
        if (item->kind != Kind::Int || item->intValue < 0)
            m_reader.fail(QStringLiteral("%1 holds a value that is not a non-negative integer").arg(QLatin1String(what)));
        numbers.push_back(item->intValue);
    }
    return numbers;
}

PickleValuePtr Machine::rebuildTensor(const std::vector<PickleValuePtr> &arguments)
{
    if (arguments.size() < 4 || arguments[0]->kind != Kind::Storage || !arguments[0]->storage)
        m_reader.fail(QStringLiteral("a tensor without its storage"));

    auto tensor = std::make_shared<TensorRef>();
    tensor->storage = arguments[0]->storage;
    tensor->storageOffset = intArgument(arguments, 1, "a tensor's storage offset");
    tensor->sizes = intTuple(arguments[2], "a tensor's size");
    tensor->strides = intTuple(arguments[3], "a tensor's stride");
    tensor->requiresGrad = arguments.size() > 4 && arguments[4]->kind == Kind::Bool && arguments[4]->boolValue;
    if (tensor->sizes.size() != tensor->strides.size())
        m_reader.fail(QStringLiteral("a tensor whose size and stride differ in length"));

    // The furthest element the view touches must lie inside the storage.
    bool empty = false;
    int64_t elements = 1;
    for (int64_t size : tensor->sizes) {
        empty = empty || size == 0;
        if (__builtin_mul_overflow(elements, size, &elements))
            m_reader.fail(QStringLiteral("a tensor whose element count overflows"));
    }
    int64_t last = tensor->storageOffset;
    for (size_t i = 0; i < tensor->sizes.size() && !empty; ++i) {
        int64_t extent = 0;
        if (__builtin_mul_overflow(tensor->sizes[i] - 1, tensor->strides[i], &extent)
            || __builtin_add_overflow(last, extent, &last))
            m_reader.fail(QStringLiteral("a tensor whose extent overflows"));
    }
    if (tensor->storageOffset < 0 || (!empty && last >= tensor->storage->elementCount)) {
        throw Error(QStringLiteral("Cannot read %1: a tensor of shape %2 at offset %3 reaches "
                                   "past the end of storage \"%4\" (%5 elements). The file is "
                                   "damaged.")
                        .arg(m_source, tensor->shapeText())
                        .arg(tensor->storageOffset)
                        .arg(tensor->storage->key)
                        .arg(tensor->storage->elementCount));
    }

    PickleValuePtr value = PickleValue::make(Kind::Tensor);
    value->tensor = tensor;
    return value;
}

PickleValuePtr Machine::rebuildParameter(const std::vector<PickleValuePtr> &arguments)
{
    if (arguments.empty() || arguments[0]->kind != Kind::Tensor)
        m_reader.fail(QStringLiteral("a Parameter without its tensor"));
    auto tensor = std::make_shared<TensorRef>(*arguments[0]->tensor);
    tensor->isParameter = true;
    tensor->requiresGrad = arguments.size() > 1 && arguments[1]->kind == Kind::Bool && arguments[1]->boolValue;
    PickleValuePtr value = PickleValue::make(Kind::Tensor);
    value->tensor = tensor;
    return value;
}

PickleValuePtr Machine::rebuildNumpyScalar(const std::vector<PickleValuePtr> &arguments)
{
    // numpy.core.multiarray.scalar(dtype, raw_bytes): dtype is numpy.dtype(code, ...)
    // whose BUILD state's second item is the byte order.
    if (arguments.size() != 2 || arguments[0]->kind != Kind::Object || arguments[0]->items.empty()
        || arguments[1]->kind != Kind::Bytes)
        return nullptr;
    const PickleValuePtr &dtype = arguments[0];
    const QString code = dtype->items.front()->text;
    const QByteArray &raw = arguments[1]->bytes;
    const bool bigEndian = dtype->state && dtype->state->kind == Kind::Tuple && dtype->state->items.size() > 1
        && dtype->state->items[1]->text == QLatin1String(">");
    QByteArray ordered = raw;
    if (bigEndian)
        std::reverse(ordered.begin(), ordered.end());

    auto readAs = [&ordered](auto sample) {
        decltype(sample) value {};
        std::memcpy(&value, ordered.constData(), sizeof(value));
        return value;
    };
    PickleValuePtr value;
    if (code == QLatin1String("f8") && raw.size() == 8) {
        value = PickleValue::make(Kind::Float);
        value->floatValue = readAs(double());
    } else if (code == QLatin1String("f4") && raw.size() == 4) {
        value = PickleValue::make(Kind::Float);
        value->floatValue = readAs(float());
    } else if (code == QLatin1String("i8") && raw.size() == 8) {
        value = PickleValue::makeInt(readAs(int64_t()));
    } else if (code == QLatin1String("i4") && raw.size() == 4) {
        value = PickleValue::makeInt(readAs(int32_t()));
    } else if (code == QLatin1String("u8") && raw.size() == 8) {
        value = PickleValue::makeInt(int64_t(readAs(uint64_t())));
    } else if (code == QLatin1String("u4") && raw.size() == 4) {
        value = PickleValue::makeInt(readAs(uint32_t()));
    } else if (code == QLatin1String("b1") && raw.size() == 1) {
        value = PickleValue::make(Kind::Bool);
        value->boolValue = raw[0] != 0;
    } else {
        return nullptr;
    }
    value->annotation = QStringLiteral("numpy.") + code;
    return value;
}

PickleValuePtr Machine::call(const PickleValuePtr &callable, const PickleValuePtr &arguments)
{
    const std::vector<PickleValuePtr> empty;
    const std::vector<PickleValuePtr> &args = arguments->kind == Kind::Tuple ? arguments->items : empty;
    const QString name = callable->kind == Kind::Global ? callable->text : QString();

    if (name == QLatin1String("torch._utils._rebuild_tensor_v2")
        || name == QLatin1String("torch._utils._rebuild_tensor"))
        return rebuildTensor(args);
    if (name == QLatin1String("torch._utils._rebuild_parameter")
        || name == QLatin1String("torch._utils._rebuild_parameter_with_state"))
        return rebuildParameter(args);
    if (name == QLatin1String("collections.OrderedDict") || name == QLatin1String("builtins.dict")) {
        PickleValuePtr dict = PickleValue::make(Kind::Dict);
        if (name == QLatin1String("collections.OrderedDict"))
            dict->annotation = QStringLiteral("OrderedDict");
        if (!args.empty() && (args[0]->kind == Kind::List || args[0]->kind == Kind::Tuple)) {
            for (const PickleValuePtr &pair : args[0]->items) {
                if ((pair->kind == Kind::Tuple || pair->kind == Kind::List) && pair->items.size() == 2)
                    setItems(dict, { pair->items[0], pair->items[1] });
            }
        }
        return dict;
    }
    if (name == QLatin1String("builtins.set") || name == QLatin1String("builtins.frozenset")) {
        PickleValuePtr set = PickleValue::make(Kind::Set);
        if (!args.empty() && (args[0]->kind == Kind::List || args[0]->kind == Kind::Tuple))
            set->items = args[0]->items;
        return set;
    }
    if (name == QLatin1String("builtins.bytearray") || name == QLatin1String("_codecs.encode")) {
        PickleValuePtr bytes = PickleValue::make(Kind::Bytes);
        if (!args.empty() && args[0]->kind == Kind::Bytes)
            bytes->bytes = args[0]->bytes;
        else if (!args.empty() && args[0]->kind == Kind::String)
            bytes->bytes = args[0]->text.toLatin1();
        return bytes;
    }
    if (name == QLatin1String("torch.Size")) {
        PickleValuePtr size = PickleValue::make(Kind::Tuple);
        if (!args.empty() && args[0]->kind == Kind::Tuple)
            size->items = args[0]->items;
        size->annotation = QStringLiteral("torch.Size");
        return size;
    }
    if (name == QLatin1String("torch.device") && !args.empty() && args[0]->kind == Kind::String) {
        PickleValuePtr device = PickleValue::make(Kind::Device);
        device->text = args[0]->text;
        if (args.size() > 1 && args[1]->kind == Kind::Int)
            device->text += QLatin1Char(':') + QString::number(args[1]->intValue);
        return device;
    }
    if (name == QLatin1String("numpy.core.multiarray.scalar")
        || name == QLatin1String("numpy._core.multiarray.scalar")) {
        if (PickleValuePtr scalar = rebuildNumpyScalar(args))
            return scalar;
    }
    if (name == QLatin1String("copyreg._reconstructor") && !args.empty() && args[0]->kind == Kind::Global) {
        PickleValuePtr object = PickleValue::make(Kind::Object);
        object->text = args[0]->text;
        return object;
    }
    if (name == QLatin1String("copyreg.__newobj__") && !args.empty() && args[0]->kind == Kind::Global) {
        PickleValuePtr object = PickleValue::make(Kind::Object);
        object->text = args[0]->text;
        object->items.assign(args.begin() + 1, args.end());
        return object;
    }

    // Anything else becomes a named placeholder; nothing is imported or run.
    PickleValuePtr object = PickleValue::make(Kind::Object);
    object->text = name.isEmpty() ? QStringLiteral("result of calling ") + callable->typeName() : name;
    if (name == QLatin1String("numpy.core.multiarray._reconstruct")
        || name == QLatin1String("numpy._core.multiarray._reconstruct"))
        object->text = QStringLiteral("numpy.ndarray");
    object->items = args;
    return object;
}

} // namespace

PickleValuePtr unpickle(QByteArrayView data, const QString &source, const PersistentLoader &loader,
                        qsizetype *bytesRead)
{
    Machine machine(data, source, loader);
    PickleValuePtr result;
    try {
        result = machine.run();
    } catch (...) {
        machine.releaseAll();
        throw;
    }
    machine.breakCycles();
    if (bytesRead)
        *bytesRead = machine.position();
    return result;
}

} // namespace halfscope
