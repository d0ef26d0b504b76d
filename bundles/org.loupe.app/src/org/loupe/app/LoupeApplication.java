package org.loupe.app;

import java.util.List;

import org.eclipse.equinox.app.IApplication;
import org.eclipse.equinox.app.IApplicationContext;
import org.eclipse.swt.widgets.Display;
import org.eclipse.ui.IWorkbench;
import org.eclipse.ui.PlatformUI;
import org.loupe.core.plugins.PluginManager;
import org.loupe.core.result.UnitRef;

/**
 * The workbench application {@code org.loupe.app.workbench}. Opens the Loupe perspective and then
 * the model given with {@code --model M} (or {@code -Dloupe.model=M}), else the default built-in
 * model; {@code open model#layer:unit} opens that model and the unit's page.
 * The user's plug-ins are started first; one that does not start is reported once the window is open.
 */
public class LoupeApplication implements IApplication {

    @Override
    public Object start(IApplicationContext context) {
        String model = System.getProperty("loupe.model");
        Object args = context.getArguments().get(IApplicationContext.APPLICATION_ARGS);
        UnitRef unit = null;
        if (args instanceof String[] a) {
            for (int i = 0; i + 1 < a.length; i++) {
                if (a[i].equals("--model")) {
                    model = a[i + 1];
                } else if (a[i].equals("open")) {
                    try {
                        unit = UnitRef.parse(a[i + 1]);
                        model = unit.model();
                    } catch (IllegalArgumentException e) {
                        System.err.println("loupe open: " + e.getMessage() + " (write model#layer:unit, e.g. demo-cnn#relu4:14)");
                        return Integer.valueOf(2);
                    }
                }
            }
        }
        List<String> pluginProblems = PluginManager.forRunningPlatform().startUp();
        pluginProblems.forEach(p -> System.err.println("loupe: " + p));
        Display display = PlatformUI.createDisplay();
        try {
            int rc = PlatformUI.createAndRunWorkbench(display, new LoupeWorkbenchAdvisor(model, unit, pluginProblems));
            return rc == PlatformUI.RETURN_RESTART ? IApplication.EXIT_RESTART : IApplication.EXIT_OK;
        } finally {
            display.dispose();
        }
    }

    @Override
    public void stop() {
        if (!PlatformUI.isWorkbenchRunning()) {
            return;
        }
        IWorkbench workbench = PlatformUI.getWorkbench();
        Display display = workbench.getDisplay();
        display.syncExec(() -> {
            if (!display.isDisposed()) {
                workbench.close();
            }
        });
    }
}
