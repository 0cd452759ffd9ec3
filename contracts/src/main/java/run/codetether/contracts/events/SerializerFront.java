package run.codetether.contracts.events;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.BeanProperty;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializationConfig;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.BeanSerializerModifier;
import com.fasterxml.jackson.databind.ser.ContextualSerializer;
import com.fasterxml.jackson.databind.ser.ResolvableSerializer;
import java.util.function.Function;

/**
 * A serializer put in front of the usual one for one type (the mapper's own, or a library's for its wire types):
 * Jackson still resolves and contextualizes the usual serializer through it (without that, nested polymorphic
 * values such as a message's parts would lose their {@code kind}), and a contextual copy of the usual one gets a
 * front of its own, so the output stays exactly the usual one's wherever the front lets it write.
 */
public abstract class SerializerFront<T> extends JsonSerializer<T>
        implements ResolvableSerializer, ContextualSerializer {
    protected final JsonSerializer<Object> usual;

    protected SerializerFront(JsonSerializer<Object> usual) {
        this.usual = usual;
    }

    /**
     * A module that puts {@code front} before the usual serializer of {@code type} (exactly that class, not its
     * subclasses).
     */
    public static SimpleModule module(String name, Class<?> type,
            Function<JsonSerializer<Object>, SerializerFront<?>> front) {
        SimpleModule m = new SimpleModule(name);
        m.setSerializerModifier(new BeanSerializerModifier() {
            @Override
            @SuppressWarnings("unchecked")
            public JsonSerializer<?> modifySerializer(SerializationConfig config, BeanDescription desc,
                    JsonSerializer<?> serializer) {
                return desc.getBeanClass() == type ? front.apply((JsonSerializer<Object>) serializer) : serializer;
            }
        });
        return m;
    }

    /** This front before another of the usual serializers (a contextual copy). */
    protected abstract SerializerFront<T> before(JsonSerializer<Object> other);

    @Override
    public void resolve(SerializerProvider provider) throws JsonMappingException {
        if (usual instanceof ResolvableSerializer r) {
            r.resolve(provider);
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public JsonSerializer<?> createContextual(SerializerProvider provider, BeanProperty property)
            throws JsonMappingException {
        if (usual instanceof ContextualSerializer c) {
            JsonSerializer<?> ready = c.createContextual(provider, property);
            return ready == usual ? this : before((JsonSerializer<Object>) ready);
        }
        return this;
    }
}
