"""TF 1.x's internal module paths that classic code imports from, as aliases."""
