/** Result views that fail on purpose, for the workbench's isolation tests. */
package org.loupe.test.broken.ui;
