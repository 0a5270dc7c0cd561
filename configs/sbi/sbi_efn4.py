# Short entry point of the SBI recipe (work dir: work_dirs/sbi_efn4).
_base_ = ['./sbi_efn-b4_1xb16-sam-sgd-100e_ffpp-raw-380px.py']
