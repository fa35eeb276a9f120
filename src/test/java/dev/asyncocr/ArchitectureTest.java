package dev.asyncocr;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The layering of the architecture (README, "Code layout") as rules over the service's own classes: the
 * domain and the pure packages know nothing of the protocols around them, nothing depends on the HTTP
 * adapter, the adapters meet only through the domain's ports, and no two packages depend on each other.
 */
@AnalyzeClasses(packages = "dev.asyncocr", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    private static final String[] PURE = {"..ocr..", "..inference..", "..image..", "..job..", "..format.."};
    private static final String[] PROTOCOLS = {
            "jakarta.ws.rs..", "org.jboss.resteasy..", // HTTP
            "io.vertx..", "io.smallrye.mutiny..", // Vert.x and its reactive types
            "org.apache.qpid..", "org.apache.activemq..", // AMQP
            "io.quarkus.redis..", // Redis
            "io.micrometer.."}; // metrics

    @ArchTest
    static final ArchRule theDomainAndThePurePackagesSpeakNoProtocol = noClasses().that()
            .resideInAnyPackage(PURE).should().dependOnClassesThat().resideInAnyPackage(PROTOCOLS);

    @ArchTest
    static final ArchRule nothingDependsOnTheHttpAdapter = noClasses().that()
            .resideOutsideOfPackage("dev.asyncocr.api..").should().dependOnClassesThat()
            .resideInAPackage("dev.asyncocr.api..");

    /** Each adapter is a layer nobody else reaches: they meet through the ports of {@code job}. */
    @ArchTest
    static final ArchRule adaptersMeetOnlyThroughTheDomain = layeredArchitecture().consideringOnlyDependenciesInLayers()
            .layer("api").definedBy("dev.asyncocr.api..")
            .layer("messaging").definedBy("dev.asyncocr.messaging..")
            .layer("store").definedBy("dev.asyncocr.store..")
            .layer("events").definedBy("dev.asyncocr.events..")
            .layer("worker").definedBy("dev.asyncocr.worker..")
            .whereLayer("api").mayNotBeAccessedByAnyLayer()
            .whereLayer("messaging").mayNotBeAccessedByAnyLayer()
            .whereLayer("store").mayNotBeAccessedByAnyLayer()
            .whereLayer("events").mayNotBeAccessedByAnyLayer()
            .whereLayer("worker").mayNotBeAccessedByAnyLayer();

    @ArchTest
    static final ArchRule noPackageCycles = slices().matching("dev.asyncocr.(*)..").should().beFreeOfCycles();
}
