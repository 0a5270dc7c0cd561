# Copyright (c) laanet contributors. All rights reserved.
"""configs/laanet/metafile.yml: valid, pointing at real configs, and the
README's results table agrees with it."""
import os.path as osp

import pytest

from laanet.utils.model_zoo import (METAFILE, find_model, load_metafile,
                                    paper_results, readme_results_rows)

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


@pytest.fixture(scope='module')
def meta():
    return load_metafile()


def test_paths_exist(meta):
    assert osp.samefile(METAFILE,
                        osp.join(ROOT, 'configs', 'laanet', 'metafile.yml'))
    for c in meta['Collections']:
        assert osp.isfile(osp.join(ROOT, c['README']))
    for model in meta['Models']:
        assert osp.isfile(osp.join(ROOT, model['Config'])), model['Name']
        assert model['In Collection'] == 'LAA-Net'
        for res in model['Results']:
            assert osp.isfile(osp.join(ROOT, res['Test Config']))
            for v in res['Metrics'].values():
                assert 0 <= v <= 100
        alias = osp.join(ROOT, 'configs', 'laanet', model['Alias'] + '.py')
        assert osp.isfile(alias)


def test_readme_table_matches(meta):
    with open(osp.join(ROOT, 'configs', 'laanet', 'README.md')) as f:
        readme = f.read().splitlines()
    for row in readme_results_rows(meta):
        assert row in readme, row
    table = [r for r in readme if r.startswith('| SBI') or
             r.startswith('| BI')]
    assert len(table) == len(meta['Models'])


def test_lookup(meta):
    sbi = find_model(meta, 'efn4_sbi')
    assert find_model(meta, sbi['Name']) is sbi
    res = paper_results(sbi, 'configs/laanet/test/'
                        'laanet_efn-b4-efpn_test_celebdf-v2-384px.py')
    (entry, ) = res.values()
    assert entry['Metrics'] == {'Video AUC': 95.40, 'Video AP': 97.64}
    assert len(paper_results(sbi)) == 5
    assert paper_results(sbi, 'configs/laanet/test/nothing.py') == {}
    with pytest.raises(KeyError, match='efn4_sbi'):
        find_model(meta, 'nope')


def test_bad_metafile(tmp_path):
    with pytest.raises(FileNotFoundError, match='missing.yml'):
        load_metafile(str(tmp_path / 'missing.yml'))
    bad = tmp_path / 'bad.yml'
    bad.write_text('Collections: []\n')
    with pytest.raises(ValueError, match='bad.yml'):
        load_metafile(str(bad))


def test_sbi_metafile_and_readme():
    from laanet.utils.model_zoo import SBI_METAFILE, SBI_README_DATASETS
    meta = load_metafile(SBI_METAFILE)
    (model, ) = meta['Models']
    assert osp.isfile(osp.join(ROOT, model['Config']))
    assert osp.isfile(
        osp.join(ROOT, 'configs', 'sbi', model['Alias'] + '.py'))
    aucs = {r['Dataset']: r['Metrics']['Video AUC'] for r in model['Results']}
    # the published numbers (SBI paper, FF++ raw training)
    assert aucs == {'Celeb-DF v2': 93.18, 'DFDC': 72.42, 'DFDCP': 86.15,
                    'DFD': 97.56, 'FFIW': 84.83}
    for res in model['Results']:
        if 'Test Config' in res:
            assert osp.isfile(osp.join(ROOT, res['Test Config']))
    with open(osp.join(ROOT, 'configs', 'sbi', 'README.md')) as f:
        readme = f.read().splitlines()
    for row in readme_results_rows(meta, SBI_README_DATASETS):
        assert row in readme, row
    assert find_model(meta, 'sbi_efn4') is model
    assert set(paper_results(model)) == {
        r['Test Config'] for r in model['Results'] if 'Test Config' in r}
