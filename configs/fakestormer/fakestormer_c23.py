# Short entry point of the FakeSTormer c23 recipe (work dir:
# work_dirs/fakestormer_c23); the released ...C23_ViTBase224... weights.
_base_ = ['./fakestormer_vit-b16_4xb16-sam-200e_ffpp-c23-224px.py']
