package org.loupe.ui.internal.prefs;

import org.eclipse.core.runtime.preferences.InstanceScope;
import org.eclipse.jface.preference.DirectoryFieldEditor;
import org.eclipse.jface.preference.FieldEditorPreferencePage;
import org.eclipse.jface.preference.IntegerFieldEditor;
import org.eclipse.ui.IWorkbench;
import org.eclipse.ui.IWorkbenchPreferencePage;
import org.eclipse.ui.preferences.ScopedPreferenceStore;
import org.loupe.core.store.Locations;
import org.loupe.djl.LoupeEngine;

/** Window > Preferences > Loupe: threads, native-library cache, run-store location. */
public class LoupePreferencePage extends FieldEditorPreferencePage implements IWorkbenchPreferencePage {

    /** A grid page on Loupe's preference node. */
    public LoupePreferencePage() {
        super(GRID);
        setPreferenceStore(new ScopedPreferenceStore(InstanceScope.INSTANCE, LoupePreferences.NODE));
        setDescription("Threads and the native-library cache take effect at the next start; the run store at once.");
    }

    @Override
    protected void createFieldEditors() {
        IntegerFieldEditor threads = new IntegerFieldEditor(LoupePreferences.THREADS, "PyTorch &threads (0: all "
                + Runtime.getRuntime().availableProcessors() + " cores):", getFieldEditorParent());
        threads.setValidRange(0, 1024);
        addField(threads);
        DirectoryFieldEditor cache = new DirectoryFieldEditor(LoupePreferences.ENGINE_CACHE, "Native &library cache:", getFieldEditorParent());
        cache.setEmptyStringAllowed(true);
        cache.getTextControl(getFieldEditorParent()).setMessage(LoupeEngine.cacheDir().toString());
        addField(cache);
        DirectoryFieldEditor runs = new DirectoryFieldEditor(LoupePreferences.RUN_STORE, "&Run store:", getFieldEditorParent());
        runs.setEmptyStringAllowed(true);
        runs.getTextControl(getFieldEditorParent()).setMessage(Locations.runStore().toString());
        addField(runs);
    }

    @Override
    public void init(IWorkbench workbench) {
    }
}
