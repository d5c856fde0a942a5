package io.dbcomposite.internal.capture;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.util.Iterator;
import java.util.Map;

/**
 * Writes the JSON trees the payload encoder builds (objects, arrays, texts, whole numbers, booleans, nulls) as the very
 * text Jackson's {@code ObjectMapper.writeValueAsString} writes for them, without a generator: creating one, and the
 * buffer recycler it asks for, was most of the cost of encoding a one-row payload in every captured commit. A tree with
 * any other node answers null: the caller uses the mapper.
 */
final class JsonText {

    private JsonText() {
    }

    /** @return the tree's JSON text, or null if it holds a node this class does not write */
    static String of(JsonNode node) {
        StringBuilder out = new StringBuilder(256);
        return write(node, out) ? out.toString() : null;
    }

    private static boolean write(JsonNode node, StringBuilder out) {
        if (node instanceof TextNode text) {
            quoted(text.textValue(), out);
        } else if (node instanceof LongNode || node instanceof IntNode) {
            out.append(node.longValue());
        } else if (node instanceof NullNode) {
            out.append("null");
        } else if (node instanceof BooleanNode b) {
            out.append(b.booleanValue() ? "true" : "false");
        } else if (node instanceof ObjectNode object) {
            out.append('{');
            boolean first = true;
            for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                if (!first) {
                    out.append(',');
                }
                first = false;
                quoted(field.getKey(), out);
                out.append(':');
                if (!write(field.getValue(), out)) {
                    return false;
                }
            }
            out.append('}');
        } else if (node instanceof ArrayNode array) {
            out.append('[');
            for (int i = 0; i < array.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                if (!write(array.get(i), out)) {
                    return false;
                }
            }
            out.append(']');
        } else {
            return false;
        }
        return true;
    }

    /** A string as Jackson writes it by default: quoted, with {@code "}, {@code \} and control characters escaped. */
    private static void quoted(String text, StringBuilder out) {
        out.append('"');
        JsonStringEncoder.getInstance().quoteAsString(text, out);
        out.append('"');
    }
}
