package run.codetether.gateway.api.models;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import run.codetether.contracts.models.ModelCatalog;
import run.codetether.fixtures.kafka.KafkaTestResource;

/** The catalog and provider listings over HTTP, behind the A2A authentication. */
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTest
class ModelsResourceTest {
    static final String KEY = "test-key-alice-123";

    @Test
    void modelsListTheCatalogWithPricesPerMillionTokens() {
        given().header("X-API-Key", KEY).get("/v1/models").then().statusCode(200)
                .body("catalog_version", equalTo(ModelCatalog.builtIn().version()))
                .body("models.size()", equalTo(ModelCatalog.builtIn().models().size()))
                .body("models.find { it.provider == 'openai' && it.id == 'gpt-5' }.price.input", equalTo(1.25f))
                .body("models.find { it.provider == 'openai' && it.id == 'gpt-5' }.default", equalTo(true))
                .body("models.find { it.provider == 'openai' && it.id == 'gpt-5' }.context_window", equalTo(400000))
                .body("models.find { it.provider == 'ollama' }.price", nullValue());
    }

    @Test
    void providersListEveryProviderATaskMayName() {
        given().header("X-API-Key", KEY).get("/v1/providers").then().statusCode(200)
                .body("providers.name", hasItems("openai", "azure-openai", "deepseek", "groq", "mistral", "xai",
                        "ollama", "together", "fireworks", "cerebras", "zai", "openai-compatible", "anthropic", "local"))
                .body("providers.find { it.name == 'deepseek' }.base_url", equalTo("https://api.deepseek.com/v1"))
                .body("providers.find { it.name == 'openai-compatible' }.configured", equalTo(false));
    }

    @Test
    void anUnauthenticatedCallIsRefused() {
        given().get("/v1/models").then().statusCode(401).body("error.code", equalTo("UNAUTHENTICATED"));
        given().header("X-API-Key", "wrong").get("/v1/providers").then().statusCode(401);
    }
}
