"""Package metadata of openrec2."""

from setuptools import find_packages, setup

setup(
    name="openrec2",
    version="0.1.0",
    description="Modular recommender systems on TensorFlow (TF1 graph mode through compat.v1)",
    long_description=open("README.md", encoding="utf-8").read() if __import__("os").path.exists("README.md") else "",
    long_description_content_type="text/markdown",
    packages=find_packages(include=["openrec2", "openrec2.*"]),
    # C++ sources of the custom kernels, compiled on first use (openrec2/ops/build.py).
    package_data={"openrec2.ops": ["*.cc"]},
    python_requires=">=3.10",
    install_requires=[
        "tensorflow>=2.16,<3",
        "numpy",
        "h5py",
        "termcolor",
    ],
    extras_require={
        "test": ["pytest", "pytest-xdist", "nbclient", "nbformat", "ipykernel", "matplotlib"],
        "notebooks": ["nbclient", "nbformat", "ipykernel", "matplotlib", "jupyter_client"],
        # The learning-curve PNG of run folders (openrec2/experiments/learning_curves.py); optional.
        "plots": ["matplotlib"],
    },
    entry_points={"console_scripts": ["openrec2=openrec2.cli:main"]},
)
