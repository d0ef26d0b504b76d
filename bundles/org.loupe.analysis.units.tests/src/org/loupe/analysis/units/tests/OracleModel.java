package org.loupe.analysis.units.tests;

import java.nio.file.Path;

import org.loupe.testing.Oracle;

/**
 * The small CNN the scan is compared on with PyTorch: a sequential CNN with batch norm, pooling and
 * a classifier, with seeded random weights written by {@code oracle/seqcnn.py}.
 */
final class OracleModel {

    static final String CONFIG = """
            {"architecture": "sequential-cnn", "name": "Units CNN", "labels": ["a", "b", "c", "d", "e"],
             "input": {"channels": 3, "height": 16, "width": 16, "mean": [0.5, 0.4, 0.3], "std": [0.25, 0.3, 0.2]},
             "layers": [{"name": "conv1", "type": "conv2d", "out_channels": 8, "kernel": 3, "padding": 1},
                        {"name": "bn1", "type": "batchnorm2d"}, {"name": "relu1", "type": "relu"},
                        {"name": "pool1", "type": "maxpool2d", "kernel": 2},
                        {"name": "conv2", "type": "conv2d", "out_channels": 12, "kernel": 3, "padding": 1},
                        {"name": "relu2", "type": "relu"}, {"name": "gap", "type": "global_avgpool"},
                        {"name": "flatten", "type": "flatten"}, {"name": "fc", "type": "linear", "out_features": 5}]}
            """;

    private OracleModel() {
    }

    /** The folder holding {@code units-cnn.json} and its weights (made once per build). */
    static Path folder() throws Exception {
        return Oracle.seqCnn("units", "units-cnn", CONFIG);
    }
}
