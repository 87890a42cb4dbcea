"""Who lives in the demo's community: plausible names, what they log, what the organizer gives."""

from __future__ import annotations

import random

from kit.names import name_key

FIRST_NAMES = (
    "Ada", "Alan", "Amara", "Anil", "Beatriz", "Bjorn", "Chen", "Chioma", "Dara", "Diego", "Elif", "Emeka",
    "Farah", "Felix", "Grace", "Hana", "Ibrahim", "Ines", "Jonas", "Kavya", "Kenji", "Lena", "Lucas", "Maya",
    "Mateo", "Nadia", "Noah", "Olga", "Omar", "Priya", "Quinn", "Rafael", "Rosa", "Sami", "Sofia", "Tariq",
    "Tomas", "Uma", "Valeria", "Wei", "Yara", "Yusuf", "Zara", "Zoltan",
)
LAST_NAMES = (
    "Adeyemi", "Andersen", "Bauer", "Costa", "Dubois", "Eze", "Fischer", "Garcia", "Haddad", "Ito", "Jansen",
    "Kim", "Kowalski", "Lindqvist", "Mensah", "Moreau", "Nakamura", "Novak", "Okafor", "Patel", "Quispe",
    "Rossi", "Sato", "Schmidt", "Silva", "Tanaka", "Usman", "Varga", "Wong", "Yilmaz", "Zhang",
)
# Some people use a handle instead of their name.
HANDLES = ("gradient_gal", "relu_rick", "tensor.tom", "dropout-dan", "keras_kat", "batchnorm_ben", "lr_finder")

CHECKIN_NOTES = (
    "Read chapter 2: tensors, broadcasting and the gradient tape.",
    "Standardising the features made logistic regression converge in a tenth of the iterations.",
    "Tried a second hidden layer; validation loss got worse, so I added dropout.",
    "Learned why ROC AUC ignores calibration and log loss does not.",
    "Plotted the learning curves: my model overfits after epoch 6.",
    "Early stopping on the validation loss saved me 40 epochs.",
    "Batch norm let me double the learning rate without diverging.",
    "Compared L1 and L2 regularisation on the diabetes data.",
    "Wrote a k-fold cross-validation loop instead of trusting one split.",
    "Read about data leakage: fitted my scaler on train only this time.",
    "Paired with a teammate on feature engineering for the wine challenge.",
    "Watched the livestream on convolutions and tried a 3x3 kernel by hand.",
    "My first CNN on digits: 97 % on validation after 3 epochs.",
    "Learned that the public board is only part of the test set: chose my finals by validation score.",
)
CHECKIN_LINKS = (
    "https://example.org/blog/my-first-cnn",
    "https://example.org/notes/regularisation",
    "https://example.org/posts/learning-curves",
)
AWARDS = {
    1: "A '27 Days of Deep Learning' hoodie and 50 USD of GPU credits",
    2: "25 USD of GPU credits",
    3: "A signed copy of the book",
}


def community_names(rng: random.Random, count: int) -> list[str]:
    """`count` distinct, plausible participant names (a few handles among them)."""
    names: list[str] = []
    handles = list(HANDLES)
    rng.shuffle(handles)
    while len(names) < count:
        if handles and rng.random() < 0.15:
            name = handles.pop()
        else:
            name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        if name_key(name) not in {name_key(n) for n in names}:  # the key registration checks
            names.append(name)
    return names
