package org.loupe.app;

import java.util.List;
import java.util.Map;

import org.eclipse.core.commands.ParameterizedCommand;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.IJobChangeEvent;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.core.runtime.jobs.JobChangeAdapter;
import org.eclipse.jface.action.GroupMarker;
import org.eclipse.jface.action.IMenuManager;
import org.eclipse.jface.action.MenuManager;
import org.eclipse.jface.action.Separator;
import org.eclipse.swt.graphics.Point;
import org.eclipse.ui.IWorkbenchActionConstants;
import org.eclipse.ui.IWorkbenchWindow;
import org.eclipse.ui.PlatformUI;
import org.eclipse.ui.actions.ActionFactory;
import org.eclipse.ui.application.ActionBarAdvisor;
import org.eclipse.ui.application.IActionBarConfigurer;
import org.eclipse.ui.application.IWorkbenchConfigurer;
import org.eclipse.ui.application.IWorkbenchWindowConfigurer;
import org.eclipse.ui.application.WorkbenchAdvisor;
import org.eclipse.ui.application.WorkbenchWindowAdvisor;
import org.eclipse.ui.commands.ICommandService;
import org.eclipse.ui.handlers.IHandlerService;
import org.loupe.core.model.HookedModel;
import org.loupe.core.result.UnitRef;
import org.loupe.core.registry.BuiltinModelDescriptor;
import org.loupe.ui.Session;

/** Window, menus and start-up of the Loupe workbench. */
public class LoupeWorkbenchAdvisor extends WorkbenchAdvisor {

    /** The Loupe perspective. */
    public static final String PERSPECTIVE = "org.loupe.ui.perspective";

    /** The command that opens a unit's page (contributed by the unit explorer's UI bundle). */
    static final String OPEN_UNIT_PAGE = "org.loupe.analysis.units.ui.openUnitPage";

    private final String initialModel;
    private final UnitRef initialUnit;
    private final List<String> pluginProblems;

    /**
     * Opens {@code initialModel} after start-up (null: the default built-in model), then the page of
     * {@code initialUnit} if not null ({@code loupe open model#layer:unit}), and reports the plug-ins
     * that did not start ({@code pluginProblems}, one message each).
     */
    public LoupeWorkbenchAdvisor(String initialModel, UnitRef initialUnit, List<String> pluginProblems) {
        this.initialModel = initialModel;
        this.initialUnit = initialUnit;
        this.pluginProblems = List.copyOf(pluginProblems);
    }

    @Override
    public void initialize(IWorkbenchConfigurer configurer) {
        configurer.setSaveAndRestore(true);
    }

    @Override
    public String getInitialWindowPerspectiveId() {
        return PERSPECTIVE;
    }

    @Override
    public void postStartup() {
        Session session = Session.get();
        if (!pluginProblems.isEmpty()) {
            session.reportError(new Status(IStatus.WARNING, "org.loupe.app", "Some plug-ins were not started (Help > Plugins... "
                    + "manages them):\n" + String.join("\n", pluginProblems)));
        }
        String spec = initialModel != null ? initialModel
                : session.registry().defaultModel().map(BuiltinModelDescriptor::id).orElse(null);
        if (spec == null) {
            return;
        }
        Job open = session.openModel(spec);
        if (initialUnit != null) {
            open.addJobChangeListener(new JobChangeAdapter() {
                @Override
                public void done(IJobChangeEvent event) {
                    if (event.getResult().isOK()) {
                        PlatformUI.getWorkbench().getDisplay().asyncExec(LoupeWorkbenchAdvisor.this::openUnitPage);
                    }
                }
            });
        }
    }

    /** Runs Open Unit Page on {@link #initialUnit}; tells the user if that cannot be done. */
    private void openUnitPage() {
        IWorkbenchWindow window = PlatformUI.getWorkbench().getActiveWorkbenchWindow();
        if (window == null) {
            return;
        }
        ICommandService commands = window.getService(ICommandService.class);
        IHandlerService handlers = window.getService(IHandlerService.class);
        try {
            ParameterizedCommand c = ParameterizedCommand.generateCommand(commands.getCommand(OPEN_UNIT_PAGE),
                    Map.of("layer", initialUnit.hookPoint(), "unit", Integer.toString(initialUnit.unit())));
            if (c == null || !c.getCommand().isDefined()) {
                Session.get().reportError(Status.error("Cannot open the page of " + initialUnit.link()
                        + ": the unit explorer (org.loupe.analysis.units.ui) is not installed."));
                return;
            }
            handlers.executeCommand(c, null);
        } catch (org.eclipse.core.commands.common.CommandException e) {
            Session.get().reportError(Status.error("Cannot open the page of " + initialUnit.link() + ": " + e.getMessage(), e));
        }
    }

    @Override
    public WorkbenchWindowAdvisor createWorkbenchWindowAdvisor(IWorkbenchWindowConfigurer configurer) {
        return new WorkbenchWindowAdvisor(configurer) {
            @Override
            public ActionBarAdvisor createActionBarAdvisor(IActionBarConfigurer c) {
                return new MenuAdvisor(c);
            }

            @Override
            public void preWindowOpen() {
                IWorkbenchWindowConfigurer wc = getWindowConfigurer();
                wc.setInitialSize(new Point(1400, 900));
                wc.setShowCoolBar(false);
                wc.setShowStatusLine(true);
                wc.setShowProgressIndicator(true);
                wc.setTitle("Loupe");
            }

            @Override
            public void postWindowOpen() {
                IWorkbenchWindow window = getWindowConfigurer().getWindow();
                Session.get().addModelListener(m -> window.getShell().getDisplay().asyncExec(() -> title(window, m)));
                title(window, Session.get().model().orElse(null));
            }
        };
    }

    private static void title(IWorkbenchWindow window, HookedModel m) {
        if (!window.getShell().isDisposed()) {
            window.getShell().setText(m == null ? "Loupe" : "Loupe - " + m.info().name());
        }
    }

    /** File, Window and Help menus; plug-ins add to them through org.eclipse.ui.menus (Help > Plugins... among them). */
    private static final class MenuAdvisor extends ActionBarAdvisor {
        private ActionFactory.IWorkbenchAction quit;
        private ActionFactory.IWorkbenchAction preferences;
        private ActionFactory.IWorkbenchAction about;
        private ActionFactory.IWorkbenchAction resetPerspective;
        private ActionFactory.IWorkbenchAction closeAll;
        private ActionFactory.IWorkbenchAction back;
        private ActionFactory.IWorkbenchAction forward;

        MenuAdvisor(IActionBarConfigurer configurer) {
            super(configurer);
        }

        @Override
        protected void makeActions(IWorkbenchWindow window) {
            quit = ActionFactory.QUIT.create(window);
            preferences = ActionFactory.PREFERENCES.create(window);
            about = ActionFactory.ABOUT.create(window);
            resetPerspective = ActionFactory.RESET_PERSPECTIVE.create(window);
            closeAll = ActionFactory.CLOSE_ALL.create(window);
            register(quit);
            register(preferences);
            register(about);
            register(resetPerspective);
            register(closeAll);
            back = ActionFactory.BACKWARD_HISTORY.create(window);
            forward = ActionFactory.FORWARD_HISTORY.create(window);
            register(back);
            register(forward);
        }

        @Override
        protected void fillMenuBar(IMenuManager bar) {
            MenuManager file = new MenuManager("&File", IWorkbenchActionConstants.M_FILE);
            file.add(new Separator(IWorkbenchActionConstants.MB_ADDITIONS));
            file.add(new Separator());
            file.add(closeAll);
            file.add(quit);
            // Back and Forward (Alt+Left, Alt+Right) go between the editors opened: unit pages, runs
            MenuManager navigate = new MenuManager("&Navigate", IWorkbenchActionConstants.M_NAVIGATE);
            navigate.add(back);
            navigate.add(forward);
            MenuManager window = new MenuManager("&Window", IWorkbenchActionConstants.M_WINDOW);
            window.add(resetPerspective);
            window.add(new Separator());
            window.add(preferences);
            MenuManager help = new MenuManager("&Help", IWorkbenchActionConstants.M_HELP);
            help.add(new GroupMarker(IWorkbenchActionConstants.MB_ADDITIONS));
            help.add(new Separator());
            help.add(about);
            bar.add(file);
            bar.add(new Separator(IWorkbenchActionConstants.MB_ADDITIONS));
            bar.add(navigate);
            bar.add(window);
            bar.add(help);
        }
    }
}
