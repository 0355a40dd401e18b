// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/error.h"
#include "graph/graphitems.h"
#include "graph/graphwidget.h"
#include "inspect/modelinspector.h"
#include "mainwindow.h"
#include "model/model.h"
#include "testsupport.h"

#include <QImage>
#include <QLabel>
#include <QLineEdit>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QXmlStreamReader>
#include <QtTest>

using namespace halfscope;

namespace {

constexpr int kLayoutTimeoutMs = 120000;

QString fixture(const QString &name)
{
    return QStringLiteral(HALFSCOPE_ARCHITECTURE_FIXTURES "/") + name;
}

QStringList boxTitles(const GraphWidget &widget)
{
    QStringList titles;
    for (const VisibleNode &node : widget.visibleGraph().nodes)
        titles << node.title;
    return titles;
}

/// Returns the text content of every element of an SVG file, or fails the
/// test when the file is not well-formed XML.
QStringList svgTexts(const QString &path, QString *rootName)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QXmlStreamReader reader(&file);
    QStringList texts;
    while (!reader.atEnd()) {
        reader.readNext();
        if (reader.isStartElement() && rootName->isEmpty())
            *rootName = reader.name().toString();
        if (reader.isCharacters() && !reader.isWhitespace())
            texts << reader.text().toString().trimmed();
    }
    if (reader.hasError())
        texts.prepend(QStringLiteral("XML error: ") + reader.errorString());
    return texts;
}

/// Returns the scene rectangle that the graph view shows.
QRectF shownSceneRect(const GraphWidget &widget)
{
    const GraphView *view = widget.view();
    return view->mapToScene(view->viewport()->rect()).boundingRect();
}

/// Returns the index of the first box of a graph input, or -1.
int firstInputBox(const GraphWidget &widget)
{
    const std::vector<VisibleNode> &nodes = widget.visibleGraph().nodes;
    for (size_t i = 0; i < nodes.size(); ++i) {
        if (nodes[i].subtitle == QLatin1String("input"))
            return int(i);
    }
    return -1;
}

} // namespace

class GraphViewTest : public QObject
{
    Q_OBJECT

private:
    Model m_scripted;
    Model m_mixed;

    /// Shows widget at a window size, lays out model with every module
    /// expanded and returns false when the layout does not arrive.
    bool showExpanded(GraphWidget &widget, const Model &model)
    {
        widget.resize(900, 600);
        widget.show();
        if (!QTest::qWaitForWindowExposed(&widget))
            return false;
        QSignalSpy finished(&widget, &GraphWidget::layoutFinished);
        widget.setModel(model);
        if (!finished.wait(kLayoutTimeoutMs))
            return false;
        QSet<QString> all;
        for (const GraphModule &module : widget.graph().modules) {
            if (!module.path.isEmpty())
                all.insert(module.path);
        }
        widget.setExpandedModules(all);
        return finished.wait(kLayoutTimeoutMs) && widget.lastError().isEmpty();
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_scripted = Model::load(fixture(QStringLiteral("resnet18_scripted.pt")));
        m_mixed = Model::load(fixture(QStringLiteral("resnet18_mixed.pt")));
    }

    void laysOutResnet()
    {
        GraphWidget widget;
        widget.resize(1000, 700);
        widget.show();
        QSignalSpy finished(&widget, &GraphWidget::layoutFinished);
        widget.setModel(m_scripted);
        QVERIFY(widget.isBusy());
        QVERIFY(finished.wait(kLayoutTimeoutMs));
        QVERIFY2(widget.lastError().isEmpty(), qPrintable(widget.lastError()));

        QCOMPARE(boxTitles(widget).size(), 13);
        QCOMPARE(boxTitles(widget).at(1), QStringLiteral("conv1"));
        QCOMPARE(widget.currentLayout().nodes.size(), widget.visibleGraph().nodes.size());
        QVERIFY(widget.expandedModules().isEmpty());
    }

    void collapseAndExpand()
    {
        GraphWidget widget;
        QSignalSpy finished(&widget, &GraphWidget::layoutFinished);
        widget.setModel(m_scripted);
        QVERIFY(finished.wait(kLayoutTimeoutMs));
        const size_t topLevel = widget.visibleGraph().nodes.size();

        widget.expandModule(QStringLiteral("layer1"));
        QVERIFY(finished.wait(kLayoutTimeoutMs));
        QCOMPARE(widget.visibleGraph().nodes.size(), topLevel + 1);
        QCOMPARE(widget.visibleGraph().clusters.size(), size_t(1));
        QVERIFY(boxTitles(widget).contains(QStringLiteral("layer1.0")));
        // The details describe the expanded module and how to collapse it.
        QVERIFY2(widget.detailsText().contains(QLatin1String("collapse")), qPrintable(widget.detailsText()));

        widget.expandModule(QStringLiteral("layer1.0.conv1"));
        QVERIFY(finished.wait(kLayoutTimeoutMs));
        QVERIFY(widget.expandedModules().contains(QStringLiteral("layer1.0")));
        QVERIFY(boxTitles(widget).contains(QStringLiteral("conv2d")));

        // The top-level layout comes from the cache, so it is drawn at once.
        const int drawn = finished.size();
        widget.collapseModule(QStringLiteral("layer1"));
        QCOMPARE(finished.size(), drawn + 1);
        QCOMPARE(widget.visibleGraph().nodes.size(), topLevel);
        QVERIFY(widget.expandedModules().isEmpty());
        QVERIFY2(widget.detailsText().contains(QLatin1String("expand")), qPrintable(widget.detailsText()));
    }

    void highlightHiddenModule()
    {
        GraphWidget widget;
        QSignalSpy finished(&widget, &GraphWidget::layoutFinished);
        widget.setModel(m_scripted);
        QVERIFY(finished.wait(kLayoutTimeoutMs));

        widget.highlightModule(QStringLiteral("layer2.0.downsample"));
        QVERIFY(finished.wait(kLayoutTimeoutMs));
        QVERIFY(widget.expandedModules().contains(QStringLiteral("layer2")));
        QVERIFY(widget.expandedModules().contains(QStringLiteral("layer2.0")));
        QVERIFY(boxTitles(widget).contains(QStringLiteral("layer2.0.downsample")));
        QVERIFY2(widget.detailsText().contains(QLatin1String("layer2.0.downsample")),
                 qPrintable(widget.detailsText()));
        QVERIFY(widget.detailsText().contains(QLatin1String("Sequential")));

        // An expanded module is shown by its frame.
        widget.highlightModule(QStringLiteral("layer2"));
        QVERIFY(widget.detailsText().contains(QLatin1String("collapse")));

        // A module called twice has no box, so its first node is shown.
        widget.highlightModule(QStringLiteral("layer2.0.relu"));
        QVERIFY2(widget.detailsText().contains(QLatin1String("layer2.0.relu")), qPrintable(widget.detailsText()));
        QVERIFY(widget.detailsText().contains(QLatin1String("relu")));
    }

    void searchFindsOperatorsAndNames()
    {
        GraphWidget widget;
        QSignalSpy finished(&widget, &GraphWidget::layoutFinished);
        widget.setModel(m_scripted);
        QVERIFY(finished.wait(kLayoutTimeoutMs));

        // conv1 and the four collapsed layers contain convolutions.
        QCOMPARE(widget.search(QStringLiteral("aten::conv2d")), 5);
        QVERIFY2(widget.detailsText().contains(QLatin1String("conv1")), qPrintable(widget.detailsText()));
        // conv1 itself and the layers whose blocks have a conv1.
        QCOMPARE(widget.search(QStringLiteral("conv1")), 5);
        QCOMPARE(widget.search(QStringLiteral("no such operator")), 0);

        widget.expandModule(QStringLiteral("conv1"));
        QVERIFY(finished.wait(kLayoutTimeoutMs));
        QVERIFY(widget.search(QStringLiteral("aten::conv2d")) >= 1);
        QVERIFY(widget.detailsText().contains(QLatin1String("aten::conv2d")));
        QVERIFY(widget.detailsText().contains(QLatin1String("conv1.weight")));
        QVERIFY(widget.detailsText().contains(QLatin1String("make_architectures.py"))
                || widget.detailsText().contains(QLatin1String("conv.py")));
    }

    void searchByDtype()
    {
        GraphWidget widget;
        QSignalSpy finished(&widget, &GraphWidget::layoutFinished);
        widget.setModel(m_mixed);
        QVERIFY(finished.wait(kLayoutTimeoutMs));

        // layer4 and fc are float16 in the mixed model, and so are the outputs of
        // avgpool and flatten between them.
        QCOMPARE(widget.search(QStringLiteral("float16")), 4);
        QCOMPARE(widget.search(QStringLiteral("float32")), 7); // conv1 to layer3
    }

    void fitKeepsSmallGraphWhole()
    {
        GraphWidget widget;
        widget.resize(1200, 1000);
        widget.show();
        QVERIFY(QTest::qWaitForWindowExposed(&widget));
        QSignalSpy finished(&widget, &GraphWidget::layoutFinished);
        widget.setModel(m_scripted);
        QVERIFY(finished.wait(kLayoutTimeoutMs));

        widget.view()->zoomBy(3.0);
        widget.fitToView();
        const QRectF items = widget.view()->scene()->itemsBoundingRect();
        const QRectF visibleRect = shownSceneRect(widget);
        QVERIFY2(visibleRect.contains(items),
                 qPrintable(QStringLiteral("shown %1x%2 at (%3, %4) at scale %5, graph %6x%7 at (%8, %9)")
                                .arg(visibleRect.width()).arg(visibleRect.height()).arg(visibleRect.x()).arg(visibleRect.y())
                                .arg(widget.view()->transform().m11())
                                .arg(items.width()).arg(items.height()).arg(items.x()).arg(items.y())));
        QVERIFY(widget.view()->transform().m11() >= widget.view()->readableScale());
    }

    void fitKeepsLargeGraphReadable()
    {
        GraphWidget widget;
        QVERIFY(showExpanded(widget, m_scripted));
        GraphView *view = widget.view();
        QVERIFY(view->readableScale() < 1.0);

        view->zoomBy(0.05);
        widget.fitToView();
        const double scale = view->transform().m11();
        QVERIFY2(scale >= view->readableScale() - 1e-9, qPrintable(QString::number(scale)));
        QVERIFY(QFontMetricsF(view->font()).ascent() * scale >= 6.5 - 1e-6);
        // The expanded graph does not fit at that scale, so Fit shows its input.
        const QRectF visibleRect = shownSceneRect(widget);
        QVERIFY(!visibleRect.contains(view->scene()->itemsBoundingRect()));
        const int input = firstInputBox(widget);
        QVERIFY2(input >= 0, qPrintable(boxTitles(widget).join(QLatin1String(", "))));
        QVERIFY(visibleRect.contains(widget.boxSceneRect(input)));

        // With a box selected, Fit shows that box.
        const int last = int(widget.visibleGraph().nodes.size()) - 1;
        widget.selectBox(last);
        view->zoomBy(0.05);
        widget.fitToView();
        QVERIFY(view->transform().m11() >= view->readableScale() - 1e-9);
        QVERIFY(shownSceneRect(widget).intersects(widget.boxSceneRect(last)));
    }

    void searchShowsMatchReadable()
    {
        GraphWidget widget;
        QVERIFY(showExpanded(widget, m_scripted));
        GraphView *view = widget.view();
        view->zoomBy(0.05);

        // fc is at the bottom of the graph, so the view has to move to it.
        QCOMPARE(widget.search(QStringLiteral("aten::linear")), 1);
        const QRectF match = widget.boxSceneRect(widget.matches().front());
        QVERIFY(view->transform().m11() >= view->readableScale() - 1e-9);
        QVERIFY2(shownSceneRect(widget).intersects(match), "the match is not in the view");
        QVERIFY(shownSceneRect(widget).contains(match.center()));
    }

    void enterStepsThroughMatches()
    {
        GraphWidget widget;
        QVERIFY(showExpanded(widget, m_scripted));
        auto *field = widget.findChild<QLineEdit *>(QStringLiteral("graphSearch"));
        auto *status = widget.findChild<QLabel *>(QStringLiteral("graphStatus"));
        QVERIFY(field && status);

        field->setText(QStringLiteral("aten::relu"));
        QTest::keyClick(field, Qt::Key_Return);
        const int count = int(widget.matches().size());
        QVERIFY2(count > 2, qPrintable(QString::number(count)));
        QCOMPARE(widget.currentMatch(), 0);
        QVERIFY2(status->text().contains(QStringLiteral("1 of %1").arg(count)), qPrintable(status->text()));

        QTest::keyClick(field, Qt::Key_Return);
        QCOMPARE(widget.currentMatch(), 1);
        QVERIFY2(status->text().contains(QStringLiteral("2 of %1").arg(count)), qPrintable(status->text()));
        QVERIFY(shownSceneRect(widget).intersects(widget.boxSceneRect(widget.matches()[1])));
    }

    void newModelClearsSearch()
    {
        GraphWidget widget;
        QSignalSpy finished(&widget, &GraphWidget::layoutFinished);
        widget.setModel(m_scripted);
        QVERIFY(finished.wait(kLayoutTimeoutMs));
        auto *field = widget.findChild<QLineEdit *>(QStringLiteral("graphSearch"));
        QVERIFY(field);
        field->setText(QStringLiteral("conv1"));
        QTest::keyClick(field, Qt::Key_Return);
        QCOMPARE(widget.matches().size(), size_t(5));

        widget.setModel(m_mixed);
        QVERIFY(finished.wait(kLayoutTimeoutMs));
        QVERIFY(field->text().isEmpty());
        QVERIFY(widget.matches().empty());
        QCOMPARE(widget.currentMatch(), -1);
    }

    void exportsSvgAndPng()
    {
        GraphWidget widget;
        QSignalSpy finished(&widget, &GraphWidget::layoutFinished);
        widget.setModel(m_scripted);
        QVERIFY(finished.wait(kLayoutTimeoutMs));
        const QTemporaryDir dir;
        QVERIFY(dir.isValid());

        const QString svgPath = dir.filePath(QStringLiteral("graph.svg"));
        widget.exportSvg(svgPath);
        QString rootName;
        const QStringList texts = svgTexts(svgPath, &rootName);
        QVERIFY(!texts.isEmpty());
        QVERIFY2(!texts.first().startsWith(QLatin1String("XML error")), qPrintable(texts.first()));
        QCOMPARE(rootName, QStringLiteral("svg"));
        for (const QString &label : { QStringLiteral("conv1"), QStringLiteral("layer1"),
                                      QStringLiteral("flatten"), QStringLiteral("fc") }) {
            QVERIFY2(texts.contains(label), qPrintable(label));
        }

        const QString pngPath = dir.filePath(QStringLiteral("graph.png"));
        widget.exportPng(pngPath);
        const QImage image(pngPath);
        QVERIFY(!image.isNull());
        QVERIFY(image.width() > 100 && image.height() > 100);
        int darkPixels = 0;
        for (int y = 0; y < image.height(); y += 4) {
            for (int x = 0; x < image.width(); x += 4)
                darkPixels += qGray(image.pixel(x, y)) < 128 ? 1 : 0;
        }
        QVERIFY(darkPixels > 0);
    }

    void exportWithoutGraphFails()
    {
        GraphWidget widget;
        const QTemporaryDir dir;
        QVERIFY_THROWS_EXCEPTION(Error, widget.exportSvg(dir.filePath(QStringLiteral("empty.svg"))));
        QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("empty.svg"))));
    }

    void missingDotReportsError()
    {
        GraphWidget widget;
        LayoutOptions options;
        options.dotExecutable = QStringLiteral("/nonexistent/bin/dot");
        widget.setLayoutOptions(options);
        QSignalSpy failed(&widget, &GraphWidget::failed);
        widget.setModel(m_scripted);
        QVERIFY(failed.wait(kLayoutTimeoutMs));
        QVERIFY2(widget.lastError().contains(QLatin1String("Install the Debian package graphviz")),
                 qPrintable(widget.lastError()));
    }

    void mainWindowGraphTab()
    {
        MainWindow window;
        window.openModel(test::demoModel());
        auto *graph = window.findChild<GraphWidget *>(QStringLiteral("graphWidget"));
        QVERIFY(graph);
        QTRY_VERIFY_WITH_TIMEOUT(!graph->graph().isEmpty() && !graph->isBusy(), kLayoutTimeoutMs);
        QVERIFY(!graph->visibleGraph().nodes.empty());
        QVERIFY(graph->lastError().isEmpty());
    }

    void moduleTreeSelectsGraphBox()
    {
        MainWindow window;
        window.openModel(fixture(QStringLiteral("resnet18_scripted.pt")));
        auto *graph = window.findChild<GraphWidget *>(QStringLiteral("graphWidget"));
        QVERIFY(graph);
        QTRY_VERIFY_WITH_TIMEOUT(!graph->graph().isEmpty() && !graph->isBusy(), kLayoutTimeoutMs);
        QTRY_VERIFY_WITH_TIMEOUT(findModule(window.modelInspector()->inspection().root, QStringLiteral("layer3")), kLayoutTimeoutMs);

        // Selecting a module in the Modules tab shows it in the graph.
        QVERIFY(!graph->detailsText().contains(QLatin1String("layer3")));
        window.modelInspector()->selectModule(QStringLiteral("layer3"));
        QTRY_VERIFY(graph->detailsText().contains(QLatin1String("layer3")));
        QVERIFY2(graph->detailsText().contains(QLatin1String("Sequential")), qPrintable(graph->detailsText()));
    }
};

QTEST_MAIN(GraphViewTest)
#include "tst_graphview.moc"
