package org.loupe.ui.internal;

import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.preferences.IEclipsePreferences.IPreferenceChangeListener;
import org.eclipse.jface.dialogs.IDialogConstants;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.swt.widgets.Display;
import org.eclipse.ui.PlatformUI;
import org.loupe.core.registry.LoupeRegistry;
import org.loupe.core.store.RunStore;
import org.loupe.ui.Session;
import org.loupe.ui.internal.editors.PreviewTracker;
import org.loupe.ui.internal.prefs.LoupePreferences;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/** Starts the workbench {@link Session} as an OSGi service and keeps it in line with the preferences. */
public class Activator implements BundleActivator {

    private ServiceRegistration<Session> registration;
    private Session session;
    private IPreferenceChangeListener prefListener;
    private PreviewTracker previews;

    @Override
    public void start(BundleContext context) {
        LoupePreferences.applyEngineSettings();
        session = new Session(new LoupeRegistry(), new RunStore(LoupePreferences.runStore()), Activator::showError);
        prefListener = e -> {
            if (LoupePreferences.RUN_STORE.equals(e.getKey())) {
                session.setStore(new RunStore(LoupePreferences.runStore()));
            }
        };
        LoupePreferences.node().addPreferenceChangeListener(prefListener);
        registration = context.registerService(Session.class, session, null);
        previews = PreviewTracker.install();
    }

    @Override
    public void stop(BundleContext context) {
        previews.uninstall();
        LoupePreferences.node().removePreferenceChangeListener(prefListener);
        registration.unregister();
        session.dispose();
    }

    /**
     * Shows an error dialog on the UI thread. The caller never blocks, and neither does the event
     * loop: the dialog is modal to the window but opened without a nested event loop, so whatever
     * else is queued (another job ending) still runs.
     */
    public static void showError(IStatus status) {
        if (!PlatformUI.isWorkbenchRunning()) {
            System.err.println("Loupe: " + status.getMessage());
            return;
        }
        Display d = PlatformUI.getWorkbench().getDisplay();
        d.asyncExec(() -> {
            var window = PlatformUI.getWorkbench().getActiveWorkbenchWindow();
            MessageDialog dialog = new MessageDialog(window == null ? null : window.getShell(), "Loupe", null, status.getMessage(),
                    MessageDialog.ERROR, 0, IDialogConstants.OK_LABEL);
            dialog.setBlockOnOpen(false);
            dialog.open();
        });
    }
}
