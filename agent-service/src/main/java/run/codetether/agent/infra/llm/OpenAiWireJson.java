package run.codetether.agent.infra.llm;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.ser.DefaultSerializerProvider;
import java.lang.reflect.Field;
import org.jboss.logging.Logger;

/**
 * LangChain4j's OpenAI client (1.19.0) writes every request body through one mapper of its own with
 * {@code INDENT_OUTPUT} on: the whole conversation and every offered tool's schema pretty-printed, on every model
 * call. In a JFR profile of the full path (issue 18) that request encoding was 17 % of the agent's CPU per trivial
 * task, of which 3 % in the indentation itself, and the indentation roughly doubles the body the HTTP client then
 * copies and the server parses. The library offers no setting for it, so the feature is switched off on that mapper
 * once, before the first call (a mapper's feature change applies to the writes after it). Indentation never changes
 * what a body means. If a LangChain4j upgrade moves the mapper, requests stay as they were (pretty-printed) and the
 * log says so once: a cost, not a fault. The same switch makes the mapper write each distinct offered tool once
 * ({@link ToolJsonOnce}) and only the body a chat call sends ({@link OneBodyOpenAiClient}).
 */
final class OpenAiWireJson {
    private static final Logger LOG = Logger.getLogger(OpenAiWireJson.class);
    static final String MAPPER_CLASS = "dev.langchain4j.model.openai.internal.Json";
    private static volatile Boolean compact;

    private OpenAiWireJson() {}

    /** @return whether the OpenAI client's request bodies are written compact (and tools once) from now on */
    static boolean compact() {
        Boolean done = compact;
        if (done != null) {
            return done;
        }
        synchronized (OpenAiWireJson.class) {
            if (compact == null) {
                compact = switchOffIndentation();
            }
            return compact;
        }
    }

    private static boolean switchOffIndentation() {
        try {
            Field f = Class.forName(MAPPER_CLASS).getDeclaredField("OBJECT_MAPPER");
            f.setAccessible(true);
            ObjectMapper mapper = (ObjectMapper) f.get(null);
            mapper.disable(SerializationFeature.INDENT_OUTPUT);
            mapper.registerModule(ToolJsonOnce.module(mapper.getFactory()));
            mapper.registerModule(OneBodyOpenAiClient.module());
            // a serializer of Tool built before the module would otherwise stay in the mapper's cache
            if (mapper.getSerializerProvider() instanceof DefaultSerializerProvider p) {
                p.flushCachedSerializers();
            }
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warnf("LangChain4j's OpenAI request mapper (%s.OBJECT_MAPPER) not found (%s): OpenAI-wire request "
                    + "bodies stay pretty-printed and every tool is encoded on every call, which costs CPU per model "
                    + "call but changes nothing else",
                    MAPPER_CLASS, e.toString());
            return false;
        }
    }
}
