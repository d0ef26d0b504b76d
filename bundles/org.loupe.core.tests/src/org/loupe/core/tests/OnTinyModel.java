package org.loupe.core.tests;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.loupe.core.model.blocks.BlockModel;

/** Tests on {@link TinyModels#linear()}: the model is opened once per test class and closed after it. */
abstract class OnTinyModel {

    static BlockModel model;

    @BeforeAll
    static void openModel() {
        model = TinyModels.linear();
    }

    @AfterAll
    static void closeModel() {
        model.close();
    }
}
