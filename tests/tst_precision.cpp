// SPDX-License-Identifier: GPL-3.0-or-later
#include "testsupport.h"

#include "common/error.h"
#include "model/model.h"
#include "model/modeldata.h"
#include "precision/precision.h"

#include <QtTest>

#include <cmath>

using namespace halfscope;

class TestPrecision : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void convertsFloatTensors_data();
    void convertsFloatTensors();
    void keepsReferenceUnchanged();
    void keepsIntegerBuffers();
    void keepsWeightValuesWithinRounding();
    void parsesPrecisionNames_data();
    void parsesPrecisionNames();
    void rejectsNullModel();

private:
    Model m_reference;
};

void TestPrecision::initTestCase()
{
    m_reference = Model::load(test::demoModel());
}

void TestPrecision::convertsFloatTensors_data()
{
    QTest::addColumn<Precision>("precision");
    QTest::addColumn<QString>("dtype");

    QTest::newRow("fp16") << Precision::Float16 << QStringLiteral("float16");
    QTest::newRow("bf16") << Precision::BFloat16 << QStringLiteral("bfloat16");
}

void TestPrecision::convertsFloatTensors()
{
    QFETCH(Precision, precision);
    QFETCH(QString, dtype);

    const Model converted = m_reference.convertedTo(precision);

    QCOMPARE(converted.precision(), precision);
    int floatTensors = 0;
    for (const TensorInfo &tensor : converted.tensors()) {
        if (tensor.dtype == QLatin1String("int64"))
            continue;
        QCOMPARE(tensor.dtype, dtype);
        ++floatTensors;
    }
    // 15 blocks of conv weight + 4 BatchNorm tensors, plus the classifier's weight and bias.
    QCOMPARE(floatTensors, 15 * 5 + 2);
    QCOMPARE(converted.classNames(), m_reference.classNames());
    QCOMPARE(converted.path(), m_reference.path());
}

void TestPrecision::keepsReferenceUnchanged()
{
    const Model converted = m_reference.convertedTo(Precision::Float16);
    QCOMPARE(converted.precision(), Precision::Float16);

    QCOMPARE(m_reference.precision(), Precision::Float32);
    for (const TensorInfo &tensor : m_reference.tensors()) {
        QVERIFY2(tensor.dtype == QLatin1String("float32") || tensor.dtype == QLatin1String("int64"),
                 qPrintable(tensor.name + QLatin1Char(' ') + tensor.dtype));
    }
}

void TestPrecision::keepsIntegerBuffers()
{
    const Model converted = m_reference.convertedTo(Precision::Float16);

    int counters = 0;
    for (const TensorInfo &tensor : converted.tensors()) {
        if (tensor.name.endsWith(QLatin1String("num_batches_tracked"))) {
            QCOMPARE(tensor.dtype, QStringLiteral("int64"));
            ++counters;
        }
    }
    QCOMPARE(counters, 15);
}

void TestPrecision::keepsWeightValuesWithinRounding()
{
    const Model converted = m_reference.convertedTo(Precision::Float16);

    const at::Tensor original = m_reference.data()->module.attr("classifier").toModule().attr("weight").toTensor();
    const at::Tensor half = converted.data()->module.attr("classifier").toModule().attr("weight").toTensor();
    QCOMPARE(half.scalar_type(), c10::ScalarType::Half);
    QVERIFY(original.data_ptr() != half.data_ptr());
    // fp16 keeps 11 significant bits, so rounding moves a normal value by at
    // most 2^-11 of itself; subnormals (below 2^-14) are spaced 2^-24 apart.
    const at::Tensor excess = (half.to(torch::kFloat32) - original).abs() - original.abs() / 2048.0;
    QVERIFY2(excess.max().item<float>() <= std::ldexp(1.0f, -24),
             qPrintable(QString::number(excess.max().item<float>())));
}

void TestPrecision::parsesPrecisionNames_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("expected");

    QTest::newRow("fp16") << QStringLiteral("fp16") << int(Precision::Float16);
    QTest::newRow("half") << QStringLiteral("HALF") << int(Precision::Float16);
    QTest::newRow("bfloat16") << QStringLiteral("bfloat16") << int(Precision::BFloat16);
    QTest::newRow("fp32") << QStringLiteral(" fp32 ") << int(Precision::Float32);
    QTest::newRow("unknown") << QStringLiteral("fp8") << -1;
}

void TestPrecision::parsesPrecisionNames()
{
    QFETCH(QString, text);
    QFETCH(int, expected);

    const std::optional<Precision> parsed = parsePrecision(text);
    QCOMPARE(parsed ? int(*parsed) : -1, expected);
}

void TestPrecision::rejectsNullModel()
{
    QVERIFY_THROWS_EXCEPTION(Error, Model().convertedTo(Precision::Float16));
}

QTEST_GUILESS_MAIN(TestPrecision)
#include "tst_precision.moc"
