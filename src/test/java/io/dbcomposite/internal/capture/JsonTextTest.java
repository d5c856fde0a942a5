package io.dbcomposite.internal.capture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The payload text written without Jackson's generator is, character for character, what {@code writeValueAsString}
 * writes for the same tree: payloads written before and after compare equal, and the replay reads them alike.
 */
class JsonTextTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private static String randomText(SplittableRandom r) {
        int n = r.nextInt(12);
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < n; i++) {
            switch (r.nextInt(6)) {
                case 0 -> s.append((char) r.nextInt(0x20)); // control characters
                case 1 -> { String specials = "\"\\/'\u007f\u2028\u2029<>&"; s.append(specials.charAt(r.nextInt(specials.length()))); }
                case 2 -> s.append((char) r.nextInt(0x10000)); // any UTF-16 unit, lone surrogates included
                case 3 -> s.appendCodePoint(0x1F600 + r.nextInt(80)); // a surrogate pair
                default -> s.append((char) ('a' + r.nextInt(26)));
            }
        }
        return s.toString();
    }

    private static JsonNode randomNode(SplittableRandom r, int depth) {
        switch (depth > 3 ? r.nextInt(4) : r.nextInt(6)) {
            case 0:
                return NODES.textNode(randomText(r));
            case 1:
                long[] edges = {0, -1, Long.MIN_VALUE, Long.MAX_VALUE, Integer.MIN_VALUE, Integer.MAX_VALUE};
                return r.nextBoolean() ? NODES.numberNode(edges[r.nextInt(edges.length)]) : NODES.numberNode(r.nextLong());
            case 2:
                return r.nextBoolean() ? NODES.nullNode() : NODES.booleanNode(r.nextBoolean());
            case 3:
                return NODES.numberNode(r.nextInt());
            case 4: {
                ObjectNode o = NODES.objectNode();
                int n = r.nextInt(5);
                for (int i = 0; i < n; i++) {
                    o.set(randomText(r), randomNode(r, depth + 1));
                }
                return o;
            }
            default: {
                ArrayNode a = NODES.arrayNode();
                int n = r.nextInt(5);
                for (int i = 0; i < n; i++) {
                    a.add(randomNode(r, depth + 1));
                }
                return a;
            }
        }
    }

    @Test
    void writes_what_the_object_mapper_writes() throws Exception {
        SplittableRandom r = new SplittableRandom(2026);
        for (int i = 0; i < 50_000; i++) {
            ObjectNode root = NODES.objectNode();
            int fields = r.nextInt(8);
            for (int f = 0; f < fields; f++) {
                root.set(randomText(r), randomNode(r, 0));
            }
            assertThat(JsonText.of(root)).isEqualTo(JSON.writeValueAsString(root));
        }
    }

    @Test
    void leaves_a_tree_with_another_kind_of_node_to_the_mapper() {
        ObjectNode root = NODES.objectNode();
        root.put("price", 1.5d);
        assertThat(JsonText.of(root)).isNull();
        ObjectNode nested = NODES.objectNode();
        nested.set("inner", NODES.arrayNode().add(NODES.numberNode(new java.math.BigDecimal("1.10"))));
        assertThat(JsonText.of(nested)).isNull();
    }
}
