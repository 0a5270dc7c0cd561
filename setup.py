# Copyright (c) laanet contributors. All rights reserved.
"""Packaging of laanet: ``pip install -e .`` / ``.[tests]`` / ``.[all]``."""
import os.path as osp
import re

from setuptools import find_packages, setup

HERE = osp.dirname(osp.abspath(__file__))


def readme() -> str:
    """Return the README as the long description."""
    with open(osp.join(HERE, 'README.md'), encoding='utf-8') as f:
        return f.read()


def get_version() -> str:
    """Read ``__version__`` from ``laanet/version.py`` without importing."""
    scope = {}
    with open(osp.join(HERE, 'laanet', 'version.py'), encoding='utf-8') as f:
        exec(compile(f.read(), 'laanet/version.py', 'exec'), scope)
    return scope['__version__']


def parse_requirements(fname: str) -> list:
    """Parse a requirements file, following ``-r`` includes.

    Comments and blank lines are skipped; version specifiers are kept.

    Args:
        fname (str): Path relative to the repository root.

    Returns:
        list[str]: The requirement strings.
    """
    requirements = []
    path = osp.join(HERE, fname)
    with open(path, encoding='utf-8') as f:
        for line in f:
            line = line.split('#', 1)[0].strip()
            if not line:
                continue
            if line.startswith('-r '):
                target = line.split(' ', 1)[1].strip()
                requirements += parse_requirements(
                    osp.join(osp.dirname(fname), target))
            elif re.match(r'^-', line):
                continue  # pip options are not requirements
            else:
                requirements.append(line)
    return requirements


if __name__ == '__main__':
    setup(
        name='laanet',
        version=get_version(),
        description='LAA-Net (CVPR 2024) deepfake detection toolbox on '
        'MMEngine',
        long_description=readme(),
        long_description_content_type='text/markdown',
        keywords='deepfake detection, LAA-Net, self-blended images, mmengine',
        packages=find_packages(exclude=('configs', 'tools', 'demo', 'tests',
                                        'docs')),
        include_package_data=True,
        python_requires='>=3.8',
        classifiers=[
            'Development Status :: 3 - Alpha',
            'Operating System :: OS Independent',
            'Programming Language :: Python :: 3',
            'Programming Language :: Python :: 3.11',
            'Topic :: Scientific/Engineering :: Artificial Intelligence',
        ],
        license='Apache License 2.0',
        install_requires=parse_requirements('requirements/runtime.txt') +
        parse_requirements('requirements/mminstall.txt'),
        extras_require={
            'all': parse_requirements('requirements/runtime.txt') +
            parse_requirements('requirements/mminstall.txt') +
            parse_requirements('requirements/optional.txt') +
            parse_requirements('requirements/tests.txt'),
            'tests': parse_requirements('requirements/tests.txt'),
            'optional': parse_requirements('requirements/optional.txt'),
            'mim': parse_requirements('requirements/mminstall.txt'),
            'docs': parse_requirements('requirements/docs.txt'),
            'demo': parse_requirements('requirements/demo.txt'),
            'deploy': parse_requirements('requirements/deploy.txt'),
        },
        zip_safe=False)
