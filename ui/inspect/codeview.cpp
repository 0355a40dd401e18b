// SPDX-License-Identifier: GPL-3.0-or-later
#include "inspect/codeview.h"

#include <QComboBox>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QTextCursor>
#include <QTextDocument>
#include <QVBoxLayout>

#include <algorithm>

namespace halfscope {

namespace {

/// Returns "forward" for the root, "layer1.0.forward" (plus "and 1 more")
/// for methods of submodules.
QString methodTitle(const MethodInfo &method)
{
    const QString first = method.modulePaths.value(0);
    QString title = first.isEmpty() ? method.name : first + QLatin1Char('.') + method.name;
    if (method.modulePaths.size() > 1)
        title += QObject::tr(" (+%1 of the same type)").arg(method.modulePaths.size() - 1);
    return title;
}

} // namespace

CodeView::CodeView(QWidget *parent)
    : QWidget(parent)
{
    m_methodList = new QListWidget;
    m_methodList->setObjectName(QStringLiteral("methodList"));
    m_textCombo = new QComboBox;
    m_textCombo->setObjectName(QStringLiteral("codeTextCombo"));
    m_textCombo->addItem(tr("TorchScript code"));
    m_textCombo->addItem(tr("Graph IR"));
    m_schemaLabel = new QLabel;
    m_schemaLabel->setWordWrap(true);
    m_schemaLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_editor = new QPlainTextEdit;
    m_editor->setObjectName(QStringLiteral("codeEditor"));
    m_editor->setReadOnly(true);
    m_editor->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_editor->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));

    m_searchField = new QLineEdit;
    m_searchField->setObjectName(QStringLiteral("codeSearch"));
    m_searchField->setPlaceholderText(tr("Find in code"));
    m_searchField->setClearButtonEnabled(true);
    m_searchField->setMinimumWidth(140);
    auto *previousButton = new QPushButton(tr("Previous"));
    auto *nextButton = new QPushButton(tr("Next"));
    m_searchStatus = new QLabel;

    auto *searchRow = new QHBoxLayout;
    searchRow->addWidget(m_textCombo);
    searchRow->addWidget(m_searchField, 1);
    searchRow->addWidget(previousButton);
    searchRow->addWidget(nextButton);

    auto *right = new QWidget;
    auto *rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    rightLayout->addLayout(searchRow);
    rightLayout->addWidget(m_searchStatus);
    rightLayout->addWidget(m_schemaLabel);
    rightLayout->addWidget(m_editor, 1);

    auto *splitter = new QSplitter;
    splitter->addWidget(m_methodList);
    splitter->addWidget(right);
    splitter->setStretchFactor(1, 3);
    splitter->setSizes({ 160, 420 });
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(splitter);

    connect(m_methodList, &QListWidget::currentRowChanged, this, &CodeView::showMethod);
    connect(m_textCombo, &QComboBox::currentIndexChanged, this, [this] { showCurrent(); });
    connect(m_searchField, &QLineEdit::returnPressed, this, [this] { findNext(m_searchField->text()); });
    connect(nextButton, &QPushButton::clicked, this, [this] { findNext(m_searchField->text()); });
    connect(previousButton, &QPushButton::clicked, this, [this] { findPrevious(m_searchField->text()); });
}

void CodeView::setMethods(std::vector<MethodInfo> methods)
{
    // The root module's methods first, forward at the top; then by module.
    std::stable_sort(methods.begin(), methods.end(), [](const MethodInfo &a, const MethodInfo &b) {
        const bool aRoot = a.modulePaths.contains(QString());
        const bool bRoot = b.modulePaths.contains(QString());
        if (aRoot != bRoot)
            return aRoot;
        return aRoot && a.name == QLatin1String("forward") && b.name != QLatin1String("forward");
    });
    m_methods = std::move(methods);

    const QSignalBlocker blocker(m_methodList);
    m_methodList->clear();
    for (const MethodInfo &method : m_methods) {
        auto *item = new QListWidgetItem(methodTitle(method), m_methodList);
        item->setToolTip(method.typeName + QLatin1Char('\n') + method.modulePaths.join(QLatin1String(", ")));
    }
    m_methodList->setCurrentRow(m_methods.empty() ? -1 : 0);
    showCurrent();
}

void CodeView::clear()
{
    setMethods({});
}

void CodeView::showMethod(int row)
{
    if (m_methodList->currentRow() != row) {
        m_methodList->setCurrentRow(row);
        return;
    }
    showCurrent();
}

void CodeView::setText(Text text)
{
    m_textCombo->setCurrentIndex(text == Text::Graph ? 1 : 0);
}

void CodeView::showCurrent()
{
    const int row = m_methodList->currentRow();
    m_searchStatus->clear();
    if (row < 0 || row >= int(m_methods.size())) {
        m_schemaLabel->setText(tr("No TorchScript methods: open a TorchScript model."));
        m_editor->clear();
        return;
    }
    const MethodInfo &method = m_methods[size_t(row)];
    m_schemaLabel->setText(method.schema);
    m_editor->setPlainText(m_textCombo->currentIndex() == 1 ? method.graph : method.code);
}

QString CodeView::shownText() const
{
    return m_editor->toPlainText();
}

bool CodeView::findNext(const QString &text)
{
    return find(text, false);
}

bool CodeView::findPrevious(const QString &text)
{
    return find(text, true);
}

bool CodeView::find(const QString &text, bool backward)
{
    if (text.isEmpty())
        return false;
    const QTextDocument::FindFlags flags = backward ? QTextDocument::FindBackward : QTextDocument::FindFlags();
    if (m_editor->find(text, flags)) {
        m_searchStatus->clear();
        return true;
    }
    // Wrap around: search again from the other end.
    const QTextCursor saved = m_editor->textCursor();
    m_editor->moveCursor(backward ? QTextCursor::End : QTextCursor::Start);
    if (m_editor->find(text, flags)) {
        m_searchStatus->setText(tr("Wrapped"));
        return true;
    }
    m_editor->setTextCursor(saved);
    m_searchStatus->setText(tr("Not found"));
    return false;
}

QString CodeView::selectedText() const
{
    return m_editor->textCursor().selectedText();
}

int CodeView::cursorLine() const
{
    return m_editor->textCursor().blockNumber() + 1;
}

} // namespace halfscope
