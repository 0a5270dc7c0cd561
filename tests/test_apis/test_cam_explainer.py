# Copyright (c) laanet contributors. All rights reserved.
"""Class-activation maps of P(fake): SBI's classifier (B0 at 128 px), a
timm backbone and LAA-Net on the astronaut's face, random weights."""
import os.path as osp

import numpy as np
import pytest
import torch
from mmengine.config import Config

from laanet.apis.cam_explainer import (CAMExplainer, build_cam_explainer,
                                       cam_settings)
from laanet.apis.inference import (build_test_pipeline, init_model,
                                   predict_samples)
from laanet.testing import get_inference_cfg
from laanet.utils.demo_media import astronaut_face_crop

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
#: SBI's recipe shrunk (EfficientNet-B0, 128 px), as the SBI tests use it.
SBI_CFG = osp.join(REPO, 'tests', 'data', 'sbi_demo_config.py')


def _timm_cfg(cam_cfg=None) -> Config:
    """The SBI config with a timm ResNet-18 as the backbone."""
    cfg = Config.fromfile(SBI_CFG)
    cfg.model.backbone = dict(type='TIMMBackbone', model_name='resnet18')
    cfg.model.cls_head.in_channels = 512
    cfg.cam_cfg = cam_cfg
    return cfg


def _model(cfg: Config):
    torch.manual_seed(0)
    return init_model(cfg)


@pytest.fixture(scope='module')
def sbi():
    cfg = Config.fromfile(SBI_CFG)
    return cfg, _model(cfg)


def _faces(cfg: Config, model, flip_test: bool, mirror: bool = False):
    """The astronaut's face predicted through the config's test pipeline
    (mirrored with ``mirror``)."""
    face = astronaut_face_crop(256)[0]
    if mirror:
        face = np.ascontiguousarray(face[:, ::-1])
    item = dict(img=face, gt_label=-1, img_shape=face.shape[:2],
                ori_shape=face.shape[:2])
    return predict_samples(model, build_test_pipeline(cfg), [item],
                           dict(flip_test=flip_test), 8)


@pytest.mark.parametrize('flip_test', [False, True])
def test_sbi_cam_of_a_real_face(sbi, flip_test):
    """The config's layer (backbone.bn2: 4x4 at 128 px), a non-empty map
    in [0, 1], and P(fake) of the CAM pass = predict's, TTA off and on."""
    cfg, model = sbi
    explainer = build_cam_explainer(model, cfg, True)
    assert (explainer.method, explainer.target_layer) == ('GradCAM',
                                                          'backbone.bn2')
    (sample, ) = _faces(cfg, model, flip_test)
    explainer.explain_samples([sample], flip_test)
    cam = sample.cam
    assert cam.shape == (4, 4) and sample.cam_method == 'GradCAM'
    assert float(cam.min()) == 0. and float(cam.max()) == pytest.approx(1.)
    assert int((cam > 0).sum()) > 1
    inputs = model.data_preprocessor(
        dict(inputs=[sample.net_input], data_samples=None), False)['inputs']
    _, score = explainer.explain(inputs, flip_test)
    assert float(score) == pytest.approx(float(sample.pred_score), abs=1e-5)
    # gradients were taken with autograd.grad: no parameter got a .grad
    assert all(p.grad is None for p in model.parameters())


def test_flip_tta_cam_is_the_mirror_of_the_mirrored_face(sbi):
    """With flip TTA the map of the mirrored face is the mirror of the
    face's (the two views are merged as the heatmaps are); without TTA
    it is not."""
    cfg, model = sbi
    explainer = build_cam_explainer(model, cfg, True)
    cams = {}
    for flip_test in (False, True):
        for mirror in (False, True):
            (sample, ) = _faces(cfg, model, flip_test, mirror)
            explainer.explain_samples([sample], flip_test)
            cams[flip_test, mirror] = sample.cam
    torch.testing.assert_close(cams[True, True], cams[True, False].flip(-1),
                               atol=1e-4, rtol=0)
    assert (cams[False, True] - cams[False, False].flip(-1)).abs().max() > .1


def test_timm_backbone_layer_comes_from_the_config():
    """A timm backbone: by default its last spatial map (ResNet's layer4,
    4x4 at 128 px); cam_cfg names another (layer3, 8x8) and it is used."""
    for cam_cfg, layer, side in (
        (None, 'backbone.timm_model.layer4', 4),
        (dict(target_layer='backbone.timm_model.layer3'),
         'backbone.timm_model.layer3', 8)):
        cfg = _timm_cfg(cam_cfg)
        model = _model(cfg)
        explainer = build_cam_explainer(model, cfg, True)
        samples = _faces(cfg, model, False)
        explainer.explain_samples(samples, False)
        assert explainer.target_layer == layer
        assert explainer.describe()['target_layer'] == layer
        cam = samples[0].cam
        assert cam.shape == (side, side)
        assert float(cam.max()) == pytest.approx(1.) and float(
            cam.min()) == 0.


def test_cam_argument_overrides_the_config(sbi):
    cfg, model = sbi
    explainer = build_cam_explainer(
        model, cfg, dict(method='LayerCAM', target_layer='backbone.conv_head'))
    assert (explainer.method, explainer.target_layer) == ('LayerCAM',
                                                          'backbone.conv_head')
    assert build_cam_explainer(model, cfg, None) is None
    assert build_cam_explainer(model, cfg, False) is None


def test_bad_cam_settings_give_clear_errors(sbi):
    cfg, model = sbi
    with pytest.raises(ValueError,
                       match=r"sbi_demo_config.py: cam_cfg.target_layer "
                       r"'backbone.bn3' is not a layer of DeepfakeClassifier;"
                       r" closest: backbone.bn2"):
        build_cam_explainer(model, cfg, dict(target_layer='backbone.bn3'))
    with pytest.raises(ValueError, match="'ScoreCAM' is not one of GradCAM"):
        build_cam_explainer(model, cfg, dict(method='ScoreCAM'))
    with pytest.raises(ValueError, match=r"cam of .*: unknown keys"):
        cam_settings(cfg, dict(layer='backbone.bn2'))
    with pytest.raises(ValueError, match='without compile'):
        build_cam_explainer(model, cfg, True, compile=True)
    with pytest.raises(TypeError, match='PyTorch backend'):
        CAMExplainer(object())
    inputs = torch.zeros(1, 3, 128, 128)
    with pytest.raises(TypeError, match="'backbone' gives tuple"):
        CAMExplainer(model, target_layer='backbone').explain(inputs)


def test_laanet_cam_beside_its_heatmap():
    """LAA-Net: a layer of the classification path gives a map at the
    heatmap's resolution; one of the heatmap head is refused."""
    cfg = get_inference_cfg(64)
    model = _model(cfg)
    explainer = CAMExplainer(model, target_layer='cls_head.relu')
    cams, score = explainer.explain(torch.rand(2, 3, 64, 64), True)
    assert cams.shape == (2, 16, 16) and score.shape == (2, )
    with pytest.raises(RuntimeError,
                       match="'heatmap_head.relu' does not run when the "
                       'real/fake score is computed'):
        CAMExplainer(model, target_layer='heatmap_head.relu').explain(
            torch.rand(1, 3, 64, 64))


def test_the_laanet_configs_name_a_layer_of_their_model():
    """The cam_cfg of the method configs names a layer of their model."""
    for path in ('configs/laanet/quickstart_efn-b0_sbi_cpu.py',
                 'configs/sbi/sbi_efn4.py',
                 'configs/sbi/xception_1xb16-sam-sgd-100e_ffpp-raw-380px.py'):
        cfg = Config.fromfile(osp.join(REPO, path))
        cfg.model.backbone.init_cfg = None
        explainer = build_cam_explainer(init_model(cfg), cfg, True)
        assert explainer.target_layer == cfg.cam_cfg.target_layer


def _astronaut_detector(image):
    """dlib's astronaut face as a fixed detection (no detector run)."""
    from laanet.utils.demo_media import _astronaut_landmarks
    return np.array([list(_astronaut_landmarks()[1]) + [1.]], np.float32)


@pytest.fixture(scope='module')
def astronaut_png(tmp_path_factory):
    from laanet.utils.demo_media import astronaut_bgr
    from laanet.utils.media import atomic_write_image
    path = str(tmp_path_factory.mktemp('media') / 'astronaut.png')
    atomic_write_image(path, astronaut_bgr())
    return path


def test_inferencer_and_web_app_give_the_cam_overlay(astronaut_png, tmp_path):
    """With cam: a <face>_cam.jpg beside each heatmap overlay, of its
    size, listed in the result's explanation and the app's gallery;
    without: none of them."""
    import json

    import cv2

    from laanet.apis import DeepfakeInferencer
    from laanet.apis.webapp import score_for_app
    kwargs = dict(face_detector=_astronaut_detector, show_progress=False,
                  overlap=False)
    torch.manual_seed(0)
    inferencer = DeepfakeInferencer(SBI_CFG, cam=True, **kwargs)
    out = inferencer(astronaut_png, out_dir=str(tmp_path / 'cli'))
    (files, ), (result, ) = out['files'], out['predictions']
    overlay = str(tmp_path / 'cli' / 'astronaut' / 'frame00000_face0.jpg')
    cam_file = overlay[:-4] + '_cam.jpg'
    assert files == [overlay, cam_file]
    cam_img, face_img = cv2.imread(cam_file), cv2.imread(overlay)
    assert cam_img.shape == face_img.shape == (128, 128, 3)
    # SBI has no heatmap: its overlay is the face; the CAM is drawn on it
    assert np.abs(cam_img.astype(int) - face_img).mean() > 10
    with open(tmp_path / 'cli' / 'astronaut.json') as f:
        written = json.load(f)
    assert written == result
    assert result['explanation']['overlays'] == [
        'astronaut/frame00000_face0_cam.jpg'
    ]
    assert result['explanation']['target_layer'] == 'backbone.bn2'
    assert result['explanation']['library'].startswith('torchcam 0.5')

    work = tmp_path / 'app'
    work.mkdir()
    app = score_for_app(inferencer, astronaut_png, str(work))
    (cam_pair, ) = app['cams']
    assert cam_pair[1] == ('frame 0, face 0: P(fake) '
                           f'{result["score"]:.3f}, GradCAM on backbone.bn2')
    assert app['gallery'] == [app['overlays'][0], cam_pair]
    assert cv2.imread(cam_pair[0]).shape == (128, 128, 3)

    plain = DeepfakeInferencer(SBI_CFG, **kwargs)
    out = plain(astronaut_png, out_dir=str(tmp_path / 'plain'))
    assert out['files'] == [[
        str(tmp_path / 'plain' / 'astronaut' / 'frame00000_face0.jpg')
    ]]
    assert 'explanation' not in out['predictions'][0]


def test_cam_options_of_the_demos_and_the_app():
    from laanet.utils.cli_args import demo_parser, inferencer_kwargs
    parser = demo_parser('image')
    for argv, cam in (([], None), (['--cam'], True),
                      (['--cam-layer', 'backbone.conv_head'],
                       dict(target_layer='backbone.conv_head'))):
        kwargs = inferencer_kwargs(parser.parse_args(['a.jpg', 'c.py'] +
                                                     argv))
        assert kwargs.get('cam') == cam
