-- Semantic expansion, the showcase job: every annotation gains its concept's ancestors (the join
-- study's expansion join), then, per ancestor concept, count the distinct annotated elements
-- (documents) that the ancestor now reaches. Largest counts first.
--   pig -x mapreduce -param annotations=dfs:///d/annotations_wp -param relation=dfs:///d/relation \
--       -param out=dfs:///d/ancestor_counts scripts/semantic_expansion.pig
-- Output (tab-separated): ancestor_concept_id, distinct elements

annotations = LOAD '$annotations' USING PigStorage('\t')
    AS (concept_id:chararray, element_id:chararray, context_id:chararray,
        dictionary_id:chararray, term_id:chararray, position_from:chararray,
        position_to:chararray, workflow_status:chararray);
relation = LOAD '$relation' USING PigStorage('\t')
    AS (id:chararray, concept_id:chararray, parent_concept_id:chararray, parent_level:int);

-- keep only the join key and what the count needs before the shuffle
pairs = FOREACH annotations GENERATE concept_id, element_id;
ancestors = FOREACH relation GENERATE concept_id, parent_concept_id;

expanded = JOIN pairs BY concept_id, ancestors BY concept_id;
reached = FOREACH expanded GENERATE ancestors::parent_concept_id AS ancestor,
    pairs::element_id AS element_id;
by_ancestor = GROUP reached BY ancestor;
counts = FOREACH by_ancestor {
    elements = DISTINCT reached.element_id;
    GENERATE group AS ancestor, COUNT(elements) AS elements;
};
ranked = ORDER counts BY elements DESC, ancestor ASC;
STORE ranked INTO '$out' USING PigStorage('\t');
