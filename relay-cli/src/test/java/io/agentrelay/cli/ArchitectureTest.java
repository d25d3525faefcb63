package io.agentrelay.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The CLI's package layering, checked on the compiled classes (ArchUnit): its packages form no
 * cycle, and the client commands and the MCP server talk to a relay over HTTP only (through
 * {@code relay-client}), never through the server's classes (DESIGN: the client side never reaches
 * into the server). {@code serve} and the bench, in the root and {@code bench} packages, run a relay
 * and may.
 */
class ArchitectureTest {
    private static final String CLI = "io.agentrelay.cli";
    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(CLI);
    }

    @Test
    void theCliPackagesFormNoCycle() {
        ArchRule rule = slices().matching(CLI + ".(*)..").should().beFreeOfCycles();
        rule.check(classes);
    }

    @Test
    void clientCommandsTheMcpServerAndTheOrchestratorDoNotUseTheServersClasses() {
        ArchRule rule = noClasses().that().resideInAnyPackage(CLI + ".client..", CLI + ".mcp..", CLI + ".orchestrator..")
                .should().dependOnClassesThat().resideInAPackage("io.agentrelay.server..");
        rule.check(classes);
    }
}
