# Copyright (c) laanet contributors. All rights reserved.
import cv2
import numpy as np
import pytest

from laanet.datasets.transforms import (ClipJointColorAug, ClipLetterboxWarp,
                                        SelfBlend, VideoSelfBlend)
from laanet.registry import TRANSFORMS

T = 4


def _clip_pipeline(results, seed, **sbi):
    np.random.seed(seed)
    for step in (VideoSelfBlend(sbi=sbi), ClipLetterboxWarp(),
                 ClipJointColorAug()):
        results = step(results)
    return results


def test_clip_pair_keys_shapes_and_dtypes(clip_results):
    out = _clip_pipeline(clip_results, seed=0)
    for key in ('img', 'img_fake'):
        assert isinstance(out[key], list) and len(out[key]) == T
        for frame in out[key]:
            assert frame.shape == (224, 224, 3) and frame.dtype == np.uint8
    assert out['boundary'].shape == out['boundary_fake'].shape == (T, 14, 14)
    assert out['boundary'].dtype == out['boundary_fake'].dtype == np.uint8
    assert not out['boundary'].any()
    # every frame of the fake carries its blending boundary
    assert (out['boundary_fake'].reshape(T, -1).max(1) > 100).all()
    assert isinstance(out['fake_intensity'], float)
    assert 0.5 <= out['fake_intensity'] < 1
    assert (out['gt_label'], out['gt_label_fake']) == (0, 1)
    assert out['manipulation_fake'] == 'SBI'
    assert out['video_id_fake'] == 'SBI/demo/astronaut'
    assert out['img_shape'] == (224, 224)
    assert out['landmarks'].shape == (T, 81, 2)
    assert any((f != r).any() for f, r in zip(out['img_fake'], out['img']))


def test_built_from_the_registry_with_keyword_args():
    vsb = TRANSFORMS.build(
        dict(type='VideoSelfBlend', sbi=dict(hflip_prob=0.),
             jump_threshold=None))
    assert vsb.self_blend.hflip_prob == 0 and vsb.self_blend.pair
    assert 'jump_threshold=None' in repr(vsb)
    warp = TRANSFORMS.build(dict(type='ClipLetterboxWarp'))
    assert (warp.input_size, warp.heatmap_size) == ((224, 224), (14, 14))
    with pytest.raises(ValueError, match='always makes a pair'):
        VideoSelfBlend(sbi=dict(pair=False))


@pytest.mark.parametrize('seed', range(6))
def test_static_clip_gives_identical_frames(clip_results, seed):
    # one parameter draw replayed: nothing may differ between frames of a
    # still clip, after the synthesis, the warps and the colour/JPEG step
    frame, lms = clip_results['img'][0], clip_results['landmarks'][0]
    clip_results.update(img=[frame.copy() for _ in range(T)],
                        landmarks=np.stack([lms] * T))
    out = _clip_pipeline(clip_results, seed)
    for key in ('img', 'img_fake'):
        for t in range(1, T):
            np.testing.assert_array_equal(out[key][t], out[key][0])
    np.testing.assert_array_equal(out['boundary_fake'],
                                  out['boundary_fake'][[0] * T])


@pytest.mark.parametrize('seed', range(4))
def test_single_frame_clip_is_image_sbi(astronaut_face, face_clips, seed):
    # the clip transform replays SelfBlend's own draw and synthesis
    img, lms = astronaut_face
    lms81 = face_clips.add_forehead(lms)
    np.random.seed(seed)
    video = VideoSelfBlend()(dict(img=[img.copy()], landmarks=lms81[None]))
    np.random.seed(seed)
    image = SelfBlend(pair=True)(dict(img=img.copy(), landmarks=lms81))
    np.testing.assert_array_equal(video['img'][0], image['img'])
    np.testing.assert_array_equal(video['img_fake'][0], image['img_fake'])
    np.testing.assert_array_equal(video['boundary_fake'][0],
                                  image['boundary_map_fake'])
    np.testing.assert_allclose(video['landmarks'][0], image['landmarks'])


def _boundary_centroid_x(boundary):
    weights = boundary.astype(np.float64)
    return (weights * np.arange(boundary.shape[1])).sum() / weights.sum()


@pytest.mark.parametrize('seed', range(3))
def test_each_frame_hull_follows_its_landmarks(astronaut_face, seed):
    # a still image whose 68 landmarks move 4 px right per frame (68-point
    # tracks are not damped): the blending boundary moves with them
    img, lms = astronaut_face
    results = dict(img=[img.copy() for _ in range(T)],
                   landmarks=np.stack([lms + [4 * t, 0] for t in range(T)]))
    np.random.seed(seed)
    out = VideoSelfBlend(sbi=dict(hflip_prob=0.))(results)
    xs = [_boundary_centroid_x(b) for b in out['boundary_fake']]
    # the source affine scales x by 0.95..1.053 about the centre
    np.testing.assert_allclose(np.diff(xs), 4, atol=0.5)
    # still landmarks: a still boundary
    results = dict(img=[img.copy() for _ in range(T)],
                   landmarks=np.stack([lms] * T))
    np.random.seed(seed)
    still = VideoSelfBlend(sbi=dict(hflip_prob=0.))(results)
    np.testing.assert_array_equal(still['boundary_fake'][1:],
                                  still['boundary_fake'][:1].repeat(3, 0))


def test_81_point_tracks_are_damped_before_the_hull(astronaut_face,
                                                    face_clips):
    # 9 px per frame: the damped track lags (d = 1 → 9/5 px at frame 1)
    img, lms = astronaut_face
    lms81 = face_clips.add_forehead(lms)
    track = np.stack([lms81 + [9 * t, 0] for t in range(T)])
    results = dict(img=[img.copy() for _ in range(T)], landmarks=track)
    np.random.seed(0)
    out = VideoSelfBlend(sbi=dict(hflip_prob=0.))(dict(results))
    xs = out['landmarks'][:, :, 0].mean(1)
    moved = xs - xs[0]
    np.testing.assert_allclose(moved[1], 1.8, atol=1e-4)
    assert (np.diff(moved) > 0).all() and moved[-1] < 27 - 5
    np.random.seed(0)
    free = VideoSelfBlend(sbi=dict(hflip_prob=0.),
                          jump_threshold=None)(dict(results))
    xs = free['landmarks'][:, :, 0].mean(1)
    np.testing.assert_allclose(xs - xs[0], [0, 9, 18, 27], atol=1e-4)


def test_68_point_tracks_damped_only_on_request(astronaut_face):
    img, lms = astronaut_face
    track = np.stack([lms + [9 * t, 0] for t in range(T)])
    results = dict(img=[img.copy() for _ in range(T)], landmarks=track)
    for damp, step in ((False, 9.), (True, 1.8)):
        np.random.seed(0)
        out = VideoSelfBlend(sbi=dict(hflip_prob=0.),
                             damp_68_points=damp)(dict(results))
        moved = out['landmarks'][1, :, 0] - out['landmarks'][0, :, 0]
        np.testing.assert_allclose(moved, step, atol=1e-4)


@pytest.mark.parametrize('flip', [0., 1.])
def test_flip_is_one_draw_for_the_clip(clip_results, flip):
    frames = [f.copy() for f in clip_results['img']]
    np.random.seed(1)
    # the source (not the background) is augmented: the real is the frame
    out = VideoSelfBlend(sbi=dict(hflip_prob=flip, source_aug_prob=1.))(
        clip_results)
    assert out['flip'] is bool(flip)
    m = (frames[0].shape[0] - out['img'][0].shape[0]) // 2
    for frame, real in zip(frames, out['img']):
        expected = cv2.flip(frame, 1) if flip else frame
        np.testing.assert_array_equal(real, expected[m:-m, m:-m])


def test_fake_intensity_is_uniform_over_clips(clip_results):
    vsb = VideoSelfBlend(sbi=dict(hull_types=('facehull', )))
    frame, lms = clip_results['img'][0], clip_results['landmarks'][0]
    values = []
    for seed in range(40):
        np.random.seed(seed)
        values.append(
            vsb(dict(img=[frame], landmarks=lms[None]))['fake_intensity'])
    values = np.array(values)
    assert values.min() >= 0.5 and values.max() < 1
    assert values.std() > 0.1


def test_bad_clips_raise_naming_the_file(clip_results):
    vsb = VideoSelfBlend()
    bad = dict(clip_results, img=clip_results['img'][0])
    with pytest.raises(ValueError, match='list of frames.*clip/000.png'):
        vsb(bad)
    bad = dict(clip_results,
               img=clip_results['img'][:3] + [clip_results['img'][3][:200]])
    with pytest.raises(ValueError, match='differ in size'):
        vsb(bad)
    bad = dict(clip_results, landmarks=clip_results['landmarks'][:3])
    with pytest.raises(ValueError, match=r'landmarks of shape \(4, 68 or 81'):
        vsb(bad)
