package io.agentrelay.server;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The server's package layering, checked on the compiled classes (ArchUnit): the packages form no
 * cycle; {@code model} depends on nothing of the server; the store knows the model (and the
 * relay's one thread factory, {@code threads}) and nothing of the event bus, the live streams or the
 * HTTP edge. The root package ({@link RelayServer}) wires
 * everything and is outside these rules.
 */
class ArchitectureTest {
    private static final String SERVER = "io.agentrelay.server";
    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(SERVER);
    }

    @Test
    void theServersPackagesFormNoCycle() {
        ArchRule rule = slices().matching(SERVER + ".(*)..").should().beFreeOfCycles();
        rule.check(classes);
    }

    @Test
    void theModelDependsOnNothingOfTheServer() {
        ArchRule rule = classes().that().resideInAPackage(SERVER + ".model..")
                .should().onlyDependOnClassesThat(resideOutsideOfPackage(SERVER + "..")
                        .or(resideInAnyPackage(SERVER + ".model..")));
        rule.check(classes);
    }

    @Test
    void theStoreKnowsTheModelAndNothingOfTheBusTheStreamsOrTheEdge() {
        ArchRule rule = classes().that().resideInAPackage(SERVER + ".store..")
                .should().onlyDependOnClassesThat(resideOutsideOfPackage(SERVER + "..")
                        .or(resideInAnyPackage(SERVER + ".store..", SERVER + ".model..", SERVER + ".threads..")));
        rule.check(classes);
    }
}
