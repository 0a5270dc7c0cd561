# Copyright (c) laanet contributors. All rights reserved.
"""model-index.yml and the metafiles it imports: valid, pointing at real
configs, and each method's README results table agrees with them."""
import glob
import os.path as osp

import pytest

from laanet.utils.model_zoo import (MODEL_INDEX, find_model, load_metafile,
                                    load_model_index, metafile_paths,
                                    paper_results, readme_results_rows)

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


@pytest.fixture(scope='module')
def meta():
    return load_metafile()


def test_index_imports_every_method():
    """A method's metafile that the index forgets is never read."""
    assert osp.samefile(MODEL_INDEX, osp.join(ROOT, 'model-index.yml'))
    found = sorted(glob.glob(osp.join(ROOT, 'configs', '*', 'metafile.yml')))
    assert sorted(osp.realpath(p) for p in metafile_paths()) == [
        osp.realpath(p) for p in found]
    assert len(found) >= 2


def test_paths_exist(meta):
    collections = {c['Name']: c for c in meta['Collections']}
    assert {'LAA-Net', 'SBI'} <= set(collections)
    for c in collections.values():
        assert osp.isfile(osp.join(ROOT, c['README']))
    for model in meta['Models']:
        assert osp.isfile(osp.join(ROOT, model['Config'])), model['Name']
        assert model['In Collection'] in collections
        method_dir = osp.dirname(model['Config'])
        assert osp.isfile(osp.join(ROOT, method_dir, model['Alias'] + '.py'))
        for res in model['Results']:
            if 'Test Config' in res:
                assert osp.isfile(osp.join(ROOT, res['Test Config']))
            for v in res['Metrics'].values():
                assert 0 <= v <= 100


def test_readme_tables_match(meta):
    for collection in meta['Collections']:
        with open(osp.join(ROOT, collection['README'])) as f:
            readme = f.read().splitlines()
        rows = readme_results_rows(meta, collection['Name'])
        assert rows
        for row in rows:
            assert row in readme, row
    with open(osp.join(ROOT, 'configs', 'laanet', 'README.md')) as f:
        table = [r for r in f.read().splitlines()
                 if r.startswith('| SBI') or r.startswith('| BI')]
    assert len(table) == len(readme_results_rows(meta, 'LAA-Net'))
    with pytest.raises(KeyError, match='FakeMethod'):
        readme_results_rows(meta, 'FakeMethod')


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


def test_sbi_lookup(meta):
    """SBI's model is found through the index like LAA-Net's."""
    model = find_model(meta, 'sbi_efn4')
    assert model['In Collection'] == 'SBI'
    sbi_only = load_metafile(osp.join(ROOT, 'configs', 'sbi', 'metafile.yml'))
    assert find_model(sbi_only, 'sbi_efn4') == model
    assert set(paper_results(model)) == {
        r['Test Config'] for r in model['Results'] if 'Test Config' in r}


def test_bad_model_index(tmp_path):
    with pytest.raises(FileNotFoundError, match='missing.yml'):
        load_model_index(str(tmp_path / 'missing.yml'))
    empty = tmp_path / 'empty.yml'
    empty.write_text('Models: []\n')
    with pytest.raises(ValueError, match='no Import list'):
        metafile_paths(str(empty))
    dangling = tmp_path / 'model-index.yml'
    dangling.write_text('Import:\n  - configs/nope/metafile.yml\n')
    with pytest.raises(FileNotFoundError, match='configs/nope/metafile.yml'):
        load_model_index(str(dangling))
