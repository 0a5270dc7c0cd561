# Short entry point of the LAA-Net SBI recipe (work dir: work_dirs/efn4_sbi).
_base_ = ['./laanet_efn-b4-efpn_1xb8-sbi-sam-100e_ffpp-raw-384px.py']
