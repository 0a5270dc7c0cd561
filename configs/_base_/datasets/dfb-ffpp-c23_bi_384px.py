# DeepfakeBench's FaceForensics++ c23 with LAA-Net's online Blended Images
# (BI). Everything but the data set is ffpp-raw_bi_384px.py's; the data set
# is the FF++ originals of dfb-ffpp-c23_originals.py. BI blends a partner
# face chosen by landmark similarity: write the partner lists once
#   python tools/dataset_converters/deepfakebench_best_match.py \
#       data/deepfakebench/dataset_json/FaceForensics++.json \
#       --data-root data/deepfakebench/rgb --compression c23
# (-> FaceForensics++_c23_{train,val}_best_match.json next to the JSON).
# The official BI uses dlib's 68 points: the 13 forehead points of
# DeepfakeBench's 81 are dropped (landmark_points=68).
_base_ = ['./ffpp-raw_bi_384px.py', './dfb-ffpp-c23_originals.py']

train_dataloader = dict(
    dataset=dict(
        _base_.dfb_train_dataset,
        split='train',
        landmark_points=68,
        best_match_file='data/deepfakebench/dataset_json/'
        'FaceForensics++_c23_train_best_match.json',
        pipeline={{_base_.train_pipeline}}))
val_dataloader = dict(
    dataset=dict(
        _base_.dfb_train_dataset,
        split='val',
        test_mode=True,
        landmark_points=68,
        best_match_file='data/deepfakebench/dataset_json/'
        'FaceForensics++_c23_val_best_match.json',
        pipeline={{_base_.val_pipeline}}))
