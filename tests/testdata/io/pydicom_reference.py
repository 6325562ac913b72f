"""Reference values for the DICOM reader tests, computed independently with pydicom.

Run from the repository root with Debian's python (python3-pydicom, python3-numpy, python3-pil):

    /usr/bin/python3 tests/testdata/io/pydicom_reference.py > tests/testdata/io/pydicom_reference.json

For each real-CT fixture file (../shared/fixtures/real-ct) it records the transfer syntax, size
and statistics of the HU image: stored values from pydicom's pixel_array, voxels equal to
PixelPaddingValue set to -1024, all others value * RescaleSlope + RescaleIntercept; the sha256 is
over the HU values as little-endian int32. For the 20-slice series it records the slice order
(ImagePositionPatient projected on the cross product of the ImageOrientationPatient rows), the
positions and the statistics of the whole volume in that order. For pydicom's own test files
(shipped by python3-pydicom; read in place, never copied) it records the stored values
(pixel_array, no rescale) of the same MR slice under five transfer syntaxes and of three
JPEG 2000 CT/MR files, decoded by pydicom with Pillow (OpenJPEG).
"""
import glob
import hashlib
import json
import os
import sys

import numpy as np
import pydicom

PYDICOM_FILES = [
    "MR_small.dcm",
    "MR_small_implicit.dcm",
    "MR_small_bigendian.dcm",
    "MR_small_RLE.dcm",
    "MR_small_jp2klossless.dcm",
    "JPEG2000.dcm",
    "693_J2KI.dcm",
    "J2K_pixelrep_mismatch.dcm",
]

FIXTURES = os.path.join(os.path.dirname(__file__), "..", "..", "..", "..", "shared", "fixtures", "real-ct")


def hu_of(ds):
    stored = ds.pixel_array.astype(np.int64)
    hu = stored * float(ds.get("RescaleSlope", 1)) + float(ds.get("RescaleIntercept", 0))
    if "PixelPaddingValue" in ds:
        hu[stored == int(ds.PixelPaddingValue)] = -1024
    return hu


def stats(hu):
    as_int = np.rint(hu).astype("<i4")
    return {
        "hu_sum": float(hu.sum()),
        "hu_min": float(hu.min()),
        "hu_max": float(hu.max()),
        "hu_sha256": hashlib.sha256(as_int.tobytes()).hexdigest(),
    }


def main():
    root = os.path.abspath(FIXTURES)
    files = {}
    for name in sorted(os.listdir(root)):
        if not name.endswith(".dcm"):
            continue
        ds = pydicom.dcmread(os.path.join(root, name))
        files[name] = {
            "transfer_syntax": str(ds.file_meta.TransferSyntaxUID),
            "rows": int(ds.Rows),
            "columns": int(ds.Columns),
            **stats(hu_of(ds)),
        }
    series_dir = os.path.join(root, "totalseg-example-dicom")
    slices = [pydicom.dcmread(p) for p in sorted(glob.glob(os.path.join(series_dir, "*.dcm")))]
    iop = np.array(slices[0].ImageOrientationPatient, dtype=float)
    normal = np.cross(iop[:3], iop[3:])
    z = [float(np.dot(np.array(s.ImagePositionPatient, dtype=float), normal)) for s in slices]
    order = np.argsort(z, kind="stable")
    volume = np.stack([hu_of(slices[i]) for i in order])
    series = {
        "folder": "totalseg-example-dicom",
        "sop_instance_uids": [str(slices[i].file_meta.MediaStorageSOPInstanceUID) for i in order],
        "z_positions": [z[i] for i in order],
        "dims": list(volume.shape),
        "pixel_spacing": [float(v) for v in slices[0].PixelSpacing],
        "slice_thickness": float(slices[0].SliceThickness),
        **stats(volume),
    }
    test_files = os.path.join(os.path.dirname(pydicom.__file__), "data", "test_files")
    stored = {}
    for name in PYDICOM_FILES:
        ds = pydicom.dcmread(os.path.join(test_files, name))
        values = ds.pixel_array.astype("<i4")
        stored[name] = {
            "transfer_syntax": str(ds.file_meta.TransferSyntaxUID),
            "shape": list(values.shape),
            "min": int(values.min()),
            "max": int(values.max()),
            "stored_sha256": hashlib.sha256(values.tobytes()).hexdigest(),
        }
    json.dump(
        {
            "pydicom": pydicom.__version__,
            "files": files,
            "series": series,
            "pydicom_test_files_dir": test_files,
            "pydicom_test_files": stored,
        },
        sys.stdout,
        indent=1,
    )
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
