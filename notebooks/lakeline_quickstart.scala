// Databricks notebook source
// MAGIC %md
// MAGIC # Lakeline from a Scala notebook
// MAGIC
// MAGIC The loop of `lakeline_quickstart.ipynb` in Scala: feature groups through the gate, a point-in-time feature view,
// MAGIC a training dataset, a model version, scoring, and a model file run as the jobs run it. Import this file into Databricks (it is in Databricks' source
// MAGIC format) on a cluster with the Lakeline platform jar installed, or run it in `spark-shell` with the with-delta
// MAGIC jar (see `docs/notebooks.md`). `LAKELINE_LAKEHOUSE` overrides the lakehouse root.

// COMMAND ----------

import dev.lakeline.jobs.Lakeline
import dev.lakeline.training.TrainingSpec
import java.util.Arrays.asList

val lakehouse = sys.env.getOrElse("LAKELINE_LAKEHOUSE", "/Volumes/main/ml/lakehouse")
val lake = Lakeline.open(spark, lakehouse)

// COMMAND ----------

// MAGIC %md
// MAGIC Sample data, generated with SQL: 1,200 loans of 120 applicants from January to June 2024, and two credit
// MAGIC reports per applicant (the second, from 2024-03-01, with a lower income). Defaults follow the loan amount
// MAGIC relative to the income valid at issue; June loans have no outcome yet.

// COMMAND ----------

val loans = spark.range(0, 1200).selectExpr(
  "format_string('L%05d', id) AS loan_id",
  "format_string('A%03d', id % 120) AS applicant_id",
  "timestamp_seconds(1704067200 + id * 13000) AS issue_ts",
  "CAST(1000 + (id * 7919) % 39000 AS DOUBLE) AS loan_amount",
  "CAST(5 + (id * 31) % 20 AS DOUBLE) AS int_rate",
  "element_at(array('car', 'home', 'debt'), CAST(id % 3 AS INT) + 1) AS purpose",
  "CASE WHEN timestamp_seconds(1704067200 + id * 13000) >= TIMESTAMP'2024-06-01 00:00:00' THEN NULL " +
    "WHEN (1000 + (id * 7919) % 39000) / (CASE WHEN timestamp_seconds(1704067200 + id * 13000) < TIMESTAMP'2024-03-01 00:00:00' " +
    "THEN 90000 ELSE 45000 END) > 0.4 THEN 1 ELSE 0 END AS is_default")
val reports = spark.range(0, 240).selectExpr(
  "format_string('A%03d', id % 120) AS applicant_id",
  "CASE WHEN id < 120 THEN TIMESTAMP'2023-12-01 00:00:00' ELSE TIMESTAMP'2024-03-01 00:00:00' END AS report_ts",
  "CAST(CASE WHEN id < 120 THEN 90000 ELSE 45000 END AS DOUBLE) AS annual_income")

// COMMAND ----------

// MAGIC %md
// MAGIC Feature groups: created once, then every batch passes the group's expectation suite before it is committed.

// COMMAND ----------

val suite = """
  |expectation_suite_name: loans
  |expectations:
  |  - expectation_type: expect_column_values_to_be_between
  |    kwargs: {column: loan_amount, min_value: 500, max_value: 40000}
  |""".stripMargin
lake.createFeatureGroup("loans", 1, asList("loan_id"), "issue_ts", loans.schema, suite)
lake.createFeatureGroup("credit_reports", 1, asList("applicant_id"), "report_ts", reports.schema)
val inserted = lake.insert("loans", 1, loans, "loans:2024-06-30")
lake.insert("credit_reports", 1, reports, "credit_reports:2024-06-30")
println(s"${inserted.group()}: ${inserted.decision()}, ${inserted.rows()} rows, Delta version ${inserted.deltaVersion()}")
assert(inserted.rows() == 1200)
assert(lake.insert("loans", 1, loans, "loans:2024-06-30").skipped(), "the same batch again commits nothing")

// COMMAND ----------

// MAGIC %md
// MAGIC A feature view joined point-in-time, and a training dataset of the labelled loans.

// COMMAND ----------

lake.createFeatureView("""
  |name: loan_default
  |version: 1
  |base: {group: loans, version: 1}
  |features: [loan_amount, int_rate, purpose]
  |labels: [is_default]
  |joins:
  |  - group: credit_reports
  |    keys: [applicant_id]
  |    features: [annual_income]
  |""".stripMargin)
val td = lake.createTrainingDataset("loan_default", 1, "issue_ts < TIMESTAMP'2024-06-01 00:00:00'", 0.2, 42L)
println(s"${td.label()}: ${td.manifest().rowsPerSplit()}")
val wrongIncome = td.read().where(
  "annual_income != CASE WHEN issue_ts < TIMESTAMP'2024-03-01 00:00:00' THEN 90000 ELSE 45000 END").count()
assert(wrongIncome == 0, s"$wrongIncome rows do not carry the report valid at issue")

// COMMAND ----------

// MAGIC %md
// MAGIC Train a model version, load it, and score the loans without an outcome.

// COMMAND ----------

val spec = new TrainingSpec("logistic_regression",
  asList("loan_amount", "int_rate", "annual_income"), asList("purpose"), "is_default", 42L)
val model = lake.train("loan_default", td, spec, "2024-06-30")
val auc = model.card().metrics().get("areaUnderROC")
println(s"${model.label()}: AUC $auc")
assert(model.version() == 1 && auc > 0.7)

val features = lake.batchData("loan_default", 1, "issue_ts >= TIMESTAMP'2024-06-01 00:00:00'")
val scored = lake.score(lake.model("loan_default", "latest"), features, asList("loan_id", "issue_ts"))
scored.orderBy(scored.col("score").desc).show(5, false)   // display(scored) on Databricks
val scoredLoans = scored.count()
assert(scoredLoans == loans.where("issue_ts >= TIMESTAMP'2024-06-01 00:00:00'").count())

// COMMAND ----------

// MAGIC %md
// MAGIC Your own model as the scheduled jobs run it: a model file (docs/model-registry.md) and `lake.modelFile`, whose
// MAGIC `train`, `infer` and `monitor` do what `lakeline train|infer|monitor --model-file` do, with the same checks and
// MAGIC run keys. Trained on the loans before May, May's loans scored into the predictions table, their realised AUC.

// COMMAND ----------

val modelFile = java.nio.file.Files.writeString(java.nio.file.Files.createTempFile("loan_default_jobs", ".yaml"), """
  |feature_view: {name: loan_default, version: 1}
  |label: is_default
  |features:
  |  numeric: [loan_amount, int_rate, annual_income]
  |  categorical: [purpose]
  |""".stripMargin)
val jobs = lake.modelFile(modelFile.toString, "loan_default_jobs").withSetting("training.label-delay-days", "0")
val trained = jobs.train("2024-05-01")
val scoredMay = jobs.infer("2024-05-31")
val may = jobs.monitor("2024-06-01").performance().get(0)
println(s"${trained.model().label()}: ${scoredMay.rows()} May loans scored → ${scoredMay.path()}, realised AUC ${may.auc()}")
assert(!trained.reused() && jobs.train("2024-05-01").reused(), "the same inputs: the version trained before")
assert(scoredMay.rows() > 100 && may.labelled() == scoredMay.rows())

// COMMAND ----------

println(s"lakeline scala notebook: $scoredLoans loans scored")
