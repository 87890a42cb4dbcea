"""Baselines: logistic regression, XGBoost, and Lightning MLP and CNN for a challenge bundle.

    from baselines import Task, run_baseline
    task = Task(id_column="id", target="label", kind="classification", prediction="label",
                classes=list(range(10)), image_shape=(28, 28), metric="accuracy")
    result = run_baseline("cnn", train_df, test_df, task)
    result.submission.to_csv("submission.csv", index=False)
"""

from baselines.registry import MODELS, run_baseline
from baselines.task import BaselineError, BaselineResult, Task

__all__ = ["MODELS", "BaselineError", "BaselineResult", "Task", "run_baseline"]
