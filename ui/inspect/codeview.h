// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "inspect/inspection.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;

namespace halfscope {

/// The TorchScript methods of a model: a list of methods, each method's
/// code or graph IR in a read-only editor, and a search field.
class CodeView : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CodeView)

public:
    enum class Text { Code, Graph };

    explicit CodeView(QWidget *parent = nullptr);

    /// Shows the methods; the root module's forward is selected first.
    void setMethods(std::vector<MethodInfo> methods);
    void clear();

    /// Shows the method at a row of the method list.
    void showMethod(int row);
    void setText(Text text);
    /// Returns the text now in the editor.
    QString shownText() const;
    int methodCount() const { return int(m_methods.size()); }

    /// Selects the next (or previous) match of the search text after (or
    /// before) the cursor, wrapping around; returns false when there is none.
    bool findNext(const QString &text);
    bool findPrevious(const QString &text);
    /// Returns the selected match, empty when there is none.
    QString selectedText() const;
    /// Returns the line (from 1) of the cursor.
    int cursorLine() const;

private:
    bool find(const QString &text, bool backward);
    void showCurrent();

    std::vector<MethodInfo> m_methods;
    QListWidget *m_methodList = nullptr;
    QComboBox *m_textCombo = nullptr;
    QLabel *m_schemaLabel = nullptr;
    QPlainTextEdit *m_editor = nullptr;
    QLineEdit *m_searchField = nullptr;
    QLabel *m_searchStatus = nullptr;
};

} // namespace halfscope
