# Copyright (c) laanet contributors. All rights reserved.
"""Two gloo processes on CPU: SAM through DDP, the metric across ranks."""
import os
import os.path as osp
import socket
from types import SimpleNamespace

import pytest
import torch
import torch.distributed as dist
import torch.multiprocessing as mp
from mmengine.optim import OptimWrapper

from laanet.engine import SAM, FreezeBackboneHook, SAMDistributedDataParallel
from laanet.evaluation import DeepfakeMetric
from laanet.testing import ToyDeepfakeDataset, ToyDeepfakeModel

# slow: two gloo processes
pytestmark = pytest.mark.slow

NUM_STEPS = 3
METRIC_VIDEOS = 5  # 15 frames: an odd count, so the sampler pads


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def _batch(seed: int, step: int) -> dict:
    dataset = ToyDeepfakeDataset(
        num_videos=2, frames_per_video=2, seed=100 * seed + step)
    items = [dataset[i] for i in range(len(dataset))]
    return dict(
        inputs=[i['inputs'] for i in items],
        data_samples=[i['data_samples'] for i in items])


def _flat(tensors) -> torch.Tensor:
    return torch.cat([t.detach().reshape(-1).clone() for t in tensors])


def _predict_all(model, indices):
    dataset = ToyDeepfakeDataset(num_videos=METRIC_VIDEOS, seed=7)
    model.eval()
    samples = []
    with torch.no_grad():
        for i in indices:
            item = dataset[i]
            data = model.data_preprocessor(
                dict(
                    inputs=[item['inputs']],
                    data_samples=[item['data_samples']]), False)
            samples += model(**data, mode='predict')
    return samples, len(dataset)


def _worker(rank: int, world_size: int, port: int, out_dir: str) -> None:
    os.environ['MASTER_ADDR'] = '127.0.0.1'
    os.environ['MASTER_PORT'] = str(port)
    dist.init_process_group('gloo', rank=rank, world_size=world_size)
    torch.set_num_threads(1)
    result = {}
    for sync in (True, False):
        torch.manual_seed(0)
        model = ToyDeepfakeModel()
        # device_ids as MMEngine's runner passes them: dropped on CPU.
        ddp = SAMDistributedDataParallel(
            model, device_ids=[rank], sync_first_pass=sync)
        sam = SAM(ddp.parameters(), 'Adam', rho=0.05, lr=1e-2)
        wrapper = OptimWrapper(sam)
        record = dict(grads=[], weights=[], perturbed=[])
        base_step = sam.base_optimizer.step
        first_step = sam.first_step

        def step(*args, _rec=record, _base=base_step, _model=model):
            _rec['grads'].append(_flat(p.grad for p in _model.parameters()))
            return _base(*args)

        def first(*args,
                  _rec=record,
                  _first=first_step,
                  _model=model,
                  **kwargs):
            out = _first(*args, **kwargs)
            _rec['perturbed'].append(_flat(_model.parameters()))
            return out

        sam.base_optimizer.step = step
        sam.first_step = first
        model.train()
        for i in range(NUM_STEPS):
            ddp.train_step(_batch(rank, i), wrapper)
            record['weights'].append(_flat(model.parameters()))
        result[sync] = record

        hook = FreezeBackboneHook(unfreeze_epoch=1)
        try:
            hook.before_train(SimpleNamespace(model=ddp))
            result[f'hook_refused_{sync}'] = False
        except ValueError:
            result[f'hook_refused_{sync}'] = True

    torch.manual_seed(0)
    model = ToyDeepfakeModel()
    n = len(ToyDeepfakeDataset(num_videos=METRIC_VIDEOS, seed=7))
    # DefaultSampler(shuffle=False): padded to a multiple of world_size,
    # rank r takes r, r + world_size, ...
    padded = list(range(n)) + list(range(n))[:(-n) % world_size]
    samples, size = _predict_all(model, padded[rank::world_size])
    metric = DeepfakeMetric()
    metric.process(None, samples)
    result['metrics'] = metric.evaluate(size)
    torch.save(result, osp.join(out_dir, f'rank{rank}.pt'))
    dist.destroy_process_group()


@pytest.fixture(scope='module')
def two_rank_results(tmp_path_factory):
    out_dir = str(tmp_path_factory.mktemp('ddp'))
    mp.spawn(_worker, args=(2, _free_port(), out_dir), nprocs=2, join=True)
    return [
        torch.load(osp.join(out_dir, f'rank{r}.pt'), weights_only=False)
        for r in range(2)
    ]


@pytest.mark.parametrize('sync', [True, False])
def test_grads_and_weights_identical_after_each_sam_step(
        two_rank_results, sync):
    r0, r1 = two_rank_results[0][sync], two_rank_results[1][sync]
    assert len(r0['grads']) == len(r0['weights']) == NUM_STEPS
    for step in range(NUM_STEPS):
        torch.testing.assert_close(
            r0['grads'][step], r1['grads'][step], rtol=0, atol=0)
        torch.testing.assert_close(
            r0['weights'][step], r1['weights'][step], rtol=0, atol=0)
    # The weights did move.
    assert not torch.equal(r0['weights'][0], r0['weights'][-1])


def test_first_pass_sync_option(two_rank_results):
    synced = [r[True]['perturbed'][0] for r in two_rank_results]
    local = [r[False]['perturbed'][0] for r in two_rank_results]
    # Synced first pass: both ranks ascend along the global gradient.
    torch.testing.assert_close(synced[0], synced[1], rtol=0, atol=0)
    # Local first pass (no_sync): each rank ascends along its own gradient.
    assert not torch.allclose(local[0], local[1])


def test_freeze_hook_refuses_ddp_without_unused_parameter_search(
        two_rank_results):
    assert two_rank_results[0]['hook_refused_True']


def test_metric_on_two_ranks_equals_one_rank(two_rank_results):
    torch.manual_seed(0)
    model = ToyDeepfakeModel()
    n = len(ToyDeepfakeDataset(num_videos=METRIC_VIDEOS, seed=7))
    samples, size = _predict_all(model, range(n))
    metric = DeepfakeMetric()
    metric.process(None, samples)
    expected = metric.evaluate(size)
    for rank in range(2):
        got = two_rank_results[rank]['metrics']
        assert got.keys() == expected.keys()
        for key in expected:
            assert got[key] == pytest.approx(expected[key], nan_ok=True), key
    assert 'deepfake/video_auc' in expected
