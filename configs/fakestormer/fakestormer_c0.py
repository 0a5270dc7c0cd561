# Short entry point of the FakeSTormer c0 (FF++ raw) recipe (work dir:
# work_dirs/fakestormer_c0); the released ...C0_ViTBase224... weights.
_base_ = ['./fakestormer_vit-b16_4xb16-sam-120e_ffpp-raw-224px.py']
