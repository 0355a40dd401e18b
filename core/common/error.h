// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

#include <stdexcept>

namespace halfscope {

/// Failure reported by the core library.
///
/// message() is a sentence for the user: what failed, on which file or value,
/// and what to do about it. detail() keeps the underlying library's text
/// (LibTorch, OpenCV, the file system) for the log; it is never shown as the
/// main message and never contains a C++ backtrace.
class Error : public std::runtime_error
{
public:
    explicit Error(const QString &message, const QString &detail = QString());

    QString message() const { return m_message; }
    QString detail() const { return m_detail; }

private:
    QString m_message;
    QString m_detail;
};

/// Error value that crosses thread boundaries in place of an exception.
struct Failure
{
    QString message;
    QString detail;

    bool isNull() const { return message.isEmpty(); }
};

/// Returns the first line of a LibTorch or OpenCV message without the
/// backtrace and "Exception raised from" lines that LibTorch appends, and
/// without a final period.
QString firstLineOf(const char *libraryMessage);

} // namespace halfscope
