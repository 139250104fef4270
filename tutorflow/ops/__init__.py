"""The op families. Each module registers its kernels and gradients beside the functions
that build its ops."""
