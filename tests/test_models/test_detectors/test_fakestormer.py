# Copyright (c) laanet contributors. All rights reserved.
"""FakeSTormer: parity with the official network, the official checkpoint
layout, the three modes, flip TTA and the released file names."""
import os.path as osp
from collections import OrderedDict

import numpy as np
import pytest
import torch
from mmengine.config import Config

from laanet.apis import init_model
from laanet.models.detectors.fakestormer_ckpt_convert import (
    convert_official_state_dict, released_checkpoint_note, released_variant)
from laanet.registry import MODELS
from laanet.structures import DeepfakeDataSample
from laanet.testing import capture_log, load_tool
from laanet.testing.synthetic_weights import (parse_key_lines, read_key_list,
                                              synthetic_state_dict)
from laanet.utils import register_all_modules

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.dirname(
    osp.abspath(__file__)))))
DATA = osp.join(ROOT, 'tests', 'data', 'fakestormer')
TINY_CFG = osp.join(ROOT, 'configs', '_base_', 'models',
                    'fakestormer_vit-tiny_64px.py')
BASE_CFG = osp.join(ROOT, 'configs', '_base_', 'models',
                    'fakestormer_vit-b16.py')
#: the fixture outputs → tensor-mode keys
OUTPUTS = (('cls', 'cls'), ('temporal', 'temp_loc'), ('heatmap', 'hm'))


def setup_module():
    register_all_modules()


def build(cfg_path: str, **backbone) -> torch.nn.Module:
    cfg = Config.fromfile(cfg_path).model
    cfg.backbone.update(backbone)
    return MODELS.build(cfg)


def official_inputs(n: int, seed: int, size: int) -> torch.Tensor:
    """The fixtures' input recipe (already normalised clips)."""
    return torch.from_numpy(
        np.random.RandomState(seed).standard_normal(
            (n, 3, 4, size, size)).astype(np.float32))


def fixture_inputs(size: int) -> dict:
    b3 = official_inputs(3, 1, size)
    b3s0 = b3.clone()
    b3s0[0] = official_inputs(1, 2, size)[0]
    return dict(b1=official_inputs(1, 0, size), b3=b3, b3s0=b3s0)


def assert_rel_close(ours: torch.Tensor, ref: np.ndarray, rel: float = 1e-5):
    ref = torch.from_numpy(np.asarray(ref)).reshape(ours.shape)
    err = (ours - ref).abs().max().item()
    assert err <= rel * ref.abs().max().item(), err


def check_parity(model, ref, size: int):
    """Assert the three outputs and the token outputs of the backbone
    against the official ones on b1, b3 and b3s0; yield (input name,
    backbone outputs) for the map checks."""
    for name, x in fixture_inputs(size).items():
        with torch.no_grad():
            out = model(x, mode='tensor')
            feats = model.backbone(x)
        for ours, theirs in OUTPUTS:
            assert_rel_close(out[ours], ref[f'{name}_{theirs}'])
        assert_rel_close(feats['token'], ref[f'{name}_bb_cls'])
        assert_rel_close(feats['frame_tokens'], ref[f'{name}_bb_s_cls_token'])
        yield name, feats


@pytest.fixture(scope='module')
def tiny_official():
    """The tiny model with the official reduced model's synthetic weights,
    loaded from the official key layout."""
    register_all_modules()
    ref = dict(np.load(osp.join(DATA, 'official_tiny_model.npz')))
    keys = parse_key_lines(ref['keys'].tolist())
    model = build(TINY_CFG).eval()
    model.load_state_dict(synthetic_state_dict(keys), strict=True)
    return model, ref


def test_parity_with_the_reduced_official_model(tiny_official):
    """cls, temporal, heatmap and the backbone outputs of the official
    network (64 px, 64-dim, 2 blocks) at B = 1 and B = 3, including the
    batch-0 temporal token (b3s0 differs from b3 in sample 0 only)."""
    model, ref = tiny_official
    for name, feats in check_parity(model, ref, 64):
        assert_rel_close(feats['patch_map'], ref[f'{name}_bb_embed'])
    # the official outputs of sample 2 depend on sample 0
    for _, theirs in OUTPUTS:
        assert not np.allclose(ref[f'b3_{theirs}'][2],
                               ref[f'b3s0_{theirs}'][2])


@pytest.mark.slow
def test_parity_with_the_official_vit_b16():
    """The full model with the fixtures' synthetic weights (official keys):
    every output within 1e-5 relative at B = 1 and B = 3."""
    ref = np.load(osp.join(DATA, 'model_synthetic.npz'))
    model = build(BASE_CFG).eval()
    model.load_state_dict(
        synthetic_state_dict(read_key_list(
            osp.join(DATA, 'state_dict_keys.txt'))), strict=True)
    torch.set_num_threads(max(torch.get_num_threads(), 2))
    for name, feats in check_parity(model, ref, 224):
        assert_rel_close(feats['patch_map'][:, :16],
                         ref[f'{name}_bb_embed_first16'])
        assert feats['patch_map'].double().sum().item() == pytest.approx(
            float(ref[f'{name}_bb_embed_sum']), rel=1e-5)


def test_official_vit_b16_state_dict_loads_strictly():
    """The 274 official entries (names and shapes of the official model)
    load strictly; the converted model holds 123,627,078 parameters."""
    keys = read_key_list(osp.join(DATA, 'state_dict_keys.txt'))
    assert len(keys) == 274
    with torch.device('meta'):
        model = build(BASE_CFG)
    state = OrderedDict(
        (k, torch.zeros(s, dtype=torch.int64 if k.endswith(
            'num_batches_tracked') else torch.float32, device='meta'))
        for k, s in keys)
    model.load_state_dict(state, strict=True, assign=True)
    assert sum(p.numel() for p in model.parameters()) == 123_627_078
    assert sum(p.numel()
               for p in model.backbone.parameters()) == 121_260_288
    ours = convert_official_state_dict(state)
    assert sorted(ours) == sorted(model.state_dict())


def test_conversion_names_unknown_keys():
    with pytest.raises(ValueError, match='keypoint_head.offset.weight'):
        convert_official_state_dict({'keypoint_head.offset.weight': 0})


def test_init_model_takes_the_official_file(tmp_path, tiny_official):
    model, _ = tiny_official
    ref = dict(np.load(osp.join(DATA, 'official_tiny_model.npz')))
    state = synthetic_state_dict(parse_key_lines(ref['keys'].tolist()))
    path = str(tmp_path / 'TopDownDetector_C23_ViTBase224_tiny.pth')
    torch.save(dict(epoch=3, state_dict=state, optimizer={}), path)
    with capture_log() as log:
        loaded = init_model(TINY_CFG, path)
    assert any('official FakeSTormer' in line for line in log)
    assert any('trained on FF++ c23; assumed config '
               'configs/fakestormer/fakestormer_c23.py' in line
               for line in log)
    x = official_inputs(1, 0, 64)
    with torch.no_grad():
        torch.testing.assert_close(
            loaded(x, mode='tensor')['cls'], model(x, mode='tensor')['cls'])
    del state['keypoint_head.temp_loc.fc_out.bias']
    torch.save(dict(state_dict=state), path)
    with pytest.raises(RuntimeError, match='temporal_head.fc_out.bias'):
        init_model(TINY_CFG, path)


def test_released_names_map_to_their_configs():
    c23 = ('TopDownDetector_C23_ViTBase224_ST_hm100_tempLOC0.2_4SBI_SAM_'
           'mp0.01_temp2_0vidAug_0.35_temp_normlms_gaussian_abl_model_best'
           '.pth')
    c0 = ('logs/03-12-2024/TopDownDetector_C0_ViTBase224_ST_hm100_tempLOC0'
          '.2_4SBI_SAM_mp0.01_temp2_0vidAug_0.35_temp_normlms_IN_model_best'
          '.pth')
    assert released_variant(c23) == ('c23',
                                     'configs/fakestormer/fakestormer_c23.py')
    assert released_variant(c0) == ('c0',
                                    'configs/fakestormer/fakestormer_c0.py')
    assert released_variant('/x/C23_ViTBase224/model.pth') is None
    assert released_variant('fakestormer.pth') is None


def _samples(n: int, size: int = 4) -> list:
    samples = []
    for i in range(n):
        s = DeepfakeDataSample().set_gt_label(i % 2)
        s.set_gt_field('heatmap', torch.randn(4, size, size))
        s.set_gt_field('heatmap_mask', torch.ones(4, size, size))
        s.set_field(torch.rand(4), 'gt_frame_scores', dtype=torch.Tensor)
        samples.append(s)
    return samples


def test_loss_and_predict_modes(tiny_official):
    model, _ = tiny_official
    torch.manual_seed(0)
    raw = torch.randint(0, 256, (2, 3, 4, 64, 64), dtype=torch.uint8)
    data = model.data_preprocessor(
        dict(inputs=list(raw), data_samples=_samples(2)), True)
    model.train()
    losses = model(**data, mode='loss')
    assert set(losses) == {
        'loss_cls', 'acc_cls', 'loss_temporal', 'loss_heatmap'
    }
    sum(v for k, v in losses.items() if k.startswith('loss')).backward()
    model.zero_grad()
    model.eval()
    with torch.no_grad():
        preds = model(**data, mode='predict')
        raw_out = model(data['inputs'], mode='tensor')
    for i, pred in enumerate(preds):
        assert pred.pred_logit.item() == pytest.approx(
            raw_out['cls'][i, 0].item())
        assert pred.pred_score.item() == pytest.approx(
            torch.sigmoid(raw_out['cls'][i, 0]).item())
        assert pred.pred_label.item() == int(pred.pred_score.item() >= 0.5)
        torch.testing.assert_close(pred.pred_frame_logits,
                                   raw_out['temporal'][i])
        torch.testing.assert_close(pred.pred_fields.heatmap,
                                   raw_out['heatmap'][i, 0])


def test_flip_tta_keeps_the_unflipped_heatmap(tiny_official):
    model, _ = tiny_official
    x = official_inputs(2, 3, 64)
    cfg = dict(flip_test=True, output_heatmaps=True)
    with torch.no_grad():
        preds = model.predict(x, test_cfg=cfg)
        out = model(x, mode='tensor')
        flipped = model(x.flip(-1), mode='tensor')
    for i, pred in enumerate(preds):
        assert pred.pred_logit.item() == pytest.approx(
            (out['cls'][i, 0] + flipped['cls'][i, 0]).item() / 2, rel=1e-5)
        torch.testing.assert_close(pred.pred_frame_logits,
                                   (out['temporal'][i] +
                                    flipped['temporal'][i]) / 2)
        torch.testing.assert_close(pred.pred_fields.heatmap,
                                   out['heatmap'][i, 0])


def test_predict_temporal_token_option(tiny_official):
    """test_cfg temporal_token='own' predicts each clip as at batch size
    1, whatever the batch; the backbone's mode is restored."""
    model, _ = tiny_official
    x = fixture_inputs(64)['b3']
    cfg = dict(flip_test=False, output_heatmaps=False, temporal_token='own')
    with torch.no_grad():
        batch = [p.pred_logit.item() for p in model.predict(x, test_cfg=cfg)]
        alone = [model.predict(x[i:i + 1])[0].pred_logit.item()
                 for i in range(3)]
        official = [p.pred_logit.item() for p in model.predict(x)]
    assert batch == pytest.approx(alone, rel=1e-5)
    assert official[0] == pytest.approx(alone[0], rel=1e-5)
    assert official[2] != pytest.approx(alone[2], rel=1e-3)
    assert model.backbone.temporal_token == 'batch0'
    with pytest.raises(ValueError, match='temporal_token'):
        model.predict(x, test_cfg=dict(temporal_token='first'))


def test_autocast_predictions_stay_float32(tiny_official):
    """Under bfloat16 autocast (``--amp``) the backbone runs in bfloat16,
    the heads in float32 on float32 features: float32 outputs close to
    the float32 model's, the scores not rounded to bfloat16."""
    model, _ = tiny_official
    x = fixture_inputs(64)['b3']
    cfg = dict(flip_test=True, output_heatmaps=True)
    with torch.no_grad():
        want = model.predict(x, test_cfg=cfg)
        with torch.autocast('cpu', dtype=torch.bfloat16):
            got = model.predict(x, test_cfg=cfg)
            raw = model(x, mode='tensor')
            feats = model.backbone(x)
        exact = model.backbone(x)
    # the backbone autocasts (its outputs leave float32 LayerNorms)
    assert not torch.equal(feats['token'], exact['token'])
    assert {v.dtype for v in raw.values()} == {torch.float32}
    for w, g in zip(want, got):
        for field in ('pred_logit', 'pred_score', 'pred_frame_logits'):
            assert getattr(g, field).dtype == torch.float32, field
        assert g.pred_fields.heatmap.dtype == torch.float32
        scale = w.pred_frame_logits.abs().max().item()
        torch.testing.assert_close(g.pred_frame_logits, w.pred_frame_logits,
                                   atol=0.05 * scale, rtol=0)
        torch.testing.assert_close(g.pred_logit, w.pred_logit,
                                   atol=0.05 * w.pred_logit.abs().item(),
                                   rtol=0)
    # float32 heads: a logit that bfloat16 cannot hold comes out as computed
    logits = [g.pred_logit.item() for g in got]
    assert any(v != float(torch.tensor(v).bfloat16()) for v in logits)


def test_images_are_refused(tiny_official):
    model, _ = tiny_official
    with pytest.raises(ValueError, match='cannot score single images'):
        model(torch.zeros(1, 3, 64, 64), mode='tensor')


def test_released_note_warns_about_the_other_recipe():
    name = 'TopDownDetector_C0_ViTBase224_ST_model_best.pth'
    note = released_checkpoint_note(name, 'configs/fakestormer/'
                                    'fakestormer_c23.py')
    assert 'FF++ c0' in note and 'other recipe' in note
    assert 'other recipe' not in released_checkpoint_note(
        name, 'configs/fakestormer/fakestormer_c0.py')
    assert released_checkpoint_note('epoch_3.pth') is None


def test_converter_writes_a_laanet_checkpoint_with_provenance(tmp_path):
    """tools/model_converters/convert_checkpoint.py on an official file:
    strict, the released name's training set recorded."""
    ref = dict(np.load(osp.join(DATA, 'official_tiny_model.npz')))
    state = synthetic_state_dict(parse_key_lines(ref['keys'].tolist()))
    src = tmp_path / 'TopDownDetector_C0_ViTBase224_tiny_model_best.pth'
    torch.save(dict(epoch=7, state_dict=state, optimizer={}), src)
    dst = tmp_path / 'fakestormer_tiny.pth'
    tool = load_tool('tools/model_converters/convert_checkpoint.py')
    assert tool.main([TINY_CFG, str(src), str(dst)]) == 0
    ckpt = torch.load(dst, weights_only=True)
    assert ckpt['meta']['source_kind'] == 'official FakeSTormer'
    assert ckpt['meta']['source_epoch'] == 7
    assert 'FF++ c0' in ckpt['meta']['source_note']
    torch.testing.assert_close(ckpt['state_dict']['cls_head.fc.weight'],
                               state['keypoint_head.cls.fc_out.weight'])
    del state['backbone.norm.bias']
    torch.save(dict(state_dict=state), src)
    assert tool.main([TINY_CFG, str(src), str(dst)]) == 1
