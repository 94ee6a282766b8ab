"""Builds Lakeline's Airflow DAGs from its pipeline files; works on Airflow 2.10 and 3."""
