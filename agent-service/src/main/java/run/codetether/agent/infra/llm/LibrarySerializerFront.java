package run.codetether.agent.infra.llm;

import com.fasterxml.jackson.databind.BeanProperty;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.ser.ContextualSerializer;
import com.fasterxml.jackson.databind.ser.ResolvableSerializer;

/**
 * A serializer put in front of LangChain4j's own for one of its wire types (by a {@code BeanSerializerModifier}):
 * Jackson still resolves and contextualizes the library's serializer through it, and a contextual copy of the
 * library's gets a front of its own, so the library's output stays exactly its own wherever the front lets it write.
 */
abstract class LibrarySerializerFront<T> extends JsonSerializer<T>
        implements ResolvableSerializer, ContextualSerializer {
    protected final JsonSerializer<Object> library;

    protected LibrarySerializerFront(JsonSerializer<Object> library) {
        this.library = library;
    }

    /** This front in front of another serializer of the library's (a contextual copy). */
    protected abstract LibrarySerializerFront<T> before(JsonSerializer<Object> other);

    @Override
    public void resolve(SerializerProvider provider) throws JsonMappingException {
        if (library instanceof ResolvableSerializer r) {
            r.resolve(provider);
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public JsonSerializer<?> createContextual(SerializerProvider provider, BeanProperty property)
            throws JsonMappingException {
        if (library instanceof ContextualSerializer c) {
            JsonSerializer<?> s = c.createContextual(provider, property);
            return s == library ? this : before((JsonSerializer<Object>) s);
        }
        return this;
    }
}
