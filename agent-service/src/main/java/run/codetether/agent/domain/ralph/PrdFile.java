package run.codetether.agent.domain.ralph;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import run.codetether.platform.json.Json;

/**
 * prd.json as a JSON tree plus its {@link Prd} view. Changes (a story passing) are made on the tree, so fields
 * Ralph does not know survive the rewrite. Field names are the original's snake_case; the camelCase spellings of
 * the Ralph pattern ({@code userStories}, {@code branchName}, {@code acceptanceCriteria}...) and
 * {@code dependencies} are read as aliases.
 */
public final class PrdFile {
    static final ObjectMapper JSON = Json.mapper();

    private final ObjectNode tree;
    private final Prd prd;

    private PrdFile(ObjectNode tree, Prd prd) {
        this.tree = tree;
        this.prd = prd;
    }

    public Prd prd() {
        return prd;
    }

    /** Parses the file's text; {@code name} (its path) prefixes every error. */
    public static PrdFile parse(String name, String text) throws PrdException {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new PrdException(name + " is not valid JSON: " + e.getOriginalMessage() + " (line "
                    + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")");
        }
        if (root == null || !root.isObject()) {
            throw new PrdException(name + " must hold a JSON object with project, feature and user_stories");
        }
        return new PrdFile((ObjectNode) root, read(name, (ObjectNode) root));
    }

    /** The tree of a PRD built in memory (prd generate/save, ralph create-prd). */
    public static PrdFile of(Prd prd) {
        ObjectNode root = JSON.createObjectNode();
        root.put("project", prd.project());
        root.put("feature", prd.feature());
        root.put("branch_name", prd.branchName());
        root.put("version", prd.version());
        ArrayNode stories = root.putArray("user_stories");
        for (Prd.UserStory s : prd.userStories()) {
            ObjectNode n = stories.addObject();
            n.put("id", s.id());
            n.put("title", s.title());
            n.put("description", s.description());
            ArrayNode criteria = n.putArray("acceptance_criteria");
            s.acceptanceCriteria().forEach(criteria::add);
            n.put("passes", s.passes());
            n.put("priority", s.priority());
            ArrayNode deps = n.putArray("depends_on");
            s.dependsOn().forEach(deps::add);
            n.put("complexity", s.complexity());
        }
        ArrayNode req = root.putArray("technical_requirements");
        prd.technicalRequirements().forEach(req::add);
        ObjectNode qc = root.putObject("quality_checks");
        Prd.QualityChecks q = prd.qualityChecks();
        putIf(qc, "typecheck", q.typecheck());
        putIf(qc, "test", q.test());
        putIf(qc, "lint", q.lint());
        putIf(qc, "build", q.build());
        root.put("created_at", prd.createdAt());
        root.put("updated_at", prd.updatedAt());
        return new PrdFile(root, prd);
    }

    private static void putIf(ObjectNode n, String field, String value) {
        if (value != null) {
            n.put(field, value);
        }
    }

    /** This file with the story marked passing and the update time set. */
    public PrdFile withPassed(String storyId, String now) {
        ObjectNode copy = tree.deepCopy();
        JsonNode stories = field(copy, "user_stories", "userStories");
        for (JsonNode s : stories) {
            if (storyId.equals(s.path("id").asText())) {
                ((ObjectNode) s).put("passes", true);
            }
        }
        copy.put(copy.has("updatedAt") ? "updatedAt" : "updated_at", now);
        return new PrdFile(copy, prd.markPassed(storyId));
    }

    public String json() {
        try {
            return Json.pretty().writeValueAsString(tree) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Prd read(String name, ObjectNode root) throws PrdException {
        String project = requiredText(name, root, "project");
        String feature = requiredText(name, root, "feature");
        JsonNode storiesNode = field(root, "user_stories", "userStories");
        if (!storiesNode.isMissingNode() && !storiesNode.isNull() && !storiesNode.isArray()) {
            throw new PrdException(name + ": user_stories must be an array of stories");
        }
        List<Prd.UserStory> stories = new ArrayList<>();
        int i = 0;
        for (JsonNode s : storiesNode) {
            String where = name + ": user_stories[" + i++ + "]";
            if (!s.isObject()) {
                throw new PrdException(where + " must be an object with id, title and description");
            }
            ObjectNode o = (ObjectNode) s;
            stories.add(new Prd.UserStory(requiredText(where, o, "id"), requiredText(where, o, "title"),
                    requiredText(where, o, "description"),
                    strings(where, field(o, "acceptance_criteria", "acceptanceCriteria"), "acceptance_criteria"),
                    bool(where, o.path("passes")), small(where, o.path("priority"), "priority", 1),
                    strings(where, field(o, "depends_on", "dependsOn", "dependencies"), "depends_on"),
                    small(where, o.path("complexity"), "complexity", 3)));
        }
        JsonNode qc = field(root, "quality_checks", "qualityChecks");
        Prd.QualityChecks checks = Prd.QualityChecks.NONE;
        if (!qc.isMissingNode() && !qc.isNull()) {
            if (!qc.isObject()) {
                throw new PrdException(name + ": quality_checks must be an object of typecheck/test/lint/build commands");
            }
            checks = new Prd.QualityChecks(optText(name, qc, "typecheck"), optText(name, qc, "test"),
                    optText(name, qc, "lint"), optText(name, qc, "build"));
        }
        return new Prd(project, feature, optTextOr(name, field(root, "branch_name", "branchName"), "branch_name", ""),
                optTextOr(name, root.path("version"), "version", "1.0"), stories,
                strings(name, field(root, "technical_requirements", "technicalRequirements"), "technical_requirements"),
                checks, optTextOr(name, field(root, "created_at", "createdAt"), "created_at", ""),
                optTextOr(name, field(root, "updated_at", "updatedAt"), "updated_at", ""));
    }

    private static JsonNode field(JsonNode o, String... names) {
        for (String n : names) {
            if (o.has(n)) {
                return o.get(n);
            }
        }
        return o.path(names[0]);
    }

    private static String requiredText(String where, JsonNode o, String field) throws PrdException {
        JsonNode n = o.path(field);
        if (n.isMissingNode() || n.isNull()) {
            throw new PrdException(where + ": missing required field '" + field + "'");
        }
        if (!n.isTextual()) {
            throw new PrdException(where + ": '" + field + "' must be a string");
        }
        return n.asText();
    }

    private static String optText(String where, JsonNode o, String field) throws PrdException {
        JsonNode n = o.path(field);
        if (n.isMissingNode() || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw new PrdException(where + ": quality_checks." + field + " must be a shell command string");
        }
        return n.asText();
    }

    private static String optTextOr(String where, JsonNode n, String field, String dflt) throws PrdException {
        if (n.isMissingNode() || n.isNull()) {
            return dflt;
        }
        if (!n.isTextual()) {
            throw new PrdException(where + ": '" + field + "' must be a string");
        }
        return n.asText();
    }

    private static List<String> strings(String where, JsonNode n, String field) throws PrdException {
        if (n.isMissingNode() || n.isNull()) {
            return List.of();
        }
        if (!n.isArray()) {
            throw new PrdException(where + ": '" + field + "' must be an array of strings");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode e : n) {
            if (!e.isTextual()) {
                throw new PrdException(where + ": '" + field + "' must be an array of strings");
            }
            out.add(e.asText());
        }
        return out;
    }

    private static boolean bool(String where, JsonNode n) throws PrdException {
        if (n.isMissingNode() || n.isNull()) {
            return false;
        }
        if (!n.isBoolean()) {
            throw new PrdException(where + ": 'passes' must be true or false");
        }
        return n.asBoolean();
    }

    /** priority and complexity are the original's u8. */
    private static int small(String where, JsonNode n, String field, int dflt) throws PrdException {
        if (n.isMissingNode() || n.isNull()) {
            return dflt;
        }
        if (!n.isIntegralNumber() || n.asInt() < 0 || n.asInt() > 255) {
            throw new PrdException(where + ": '" + field + "' must be an integer 0-255");
        }
        return n.asInt();
    }
}
