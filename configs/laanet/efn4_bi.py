# Short entry point of the LAA-Net BI recipe (work dir: work_dirs/efn4_bi).
_base_ = ['./laanet_efn-b4-efpn_1xb8-bi-sam-100e_ffpp-raw-384px.py']
