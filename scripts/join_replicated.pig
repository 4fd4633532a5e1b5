-- The study's "Pig replicated join": the semantic expansion of annotations by the concept
-- relation, map-only, the relation (the LAST input) held in memory by every map task.
-- Pig's rule of thumb: the replicated input should be smaller than one block.
--   pig -x mapreduce -param annotations=dfs:///d/annotations_wp -param relation=dfs:///d/relation \
--       -param out=dfs:///d/expanded scripts/join_replicated.pig
-- Output (tab-separated): element_id, concept_id, parent_concept_id, parent_level

annotations = LOAD '$annotations' USING PigStorage('\t')
    AS (concept_id:chararray, element_id:chararray, context_id:chararray,
        dictionary_id:chararray, term_id:chararray, position_from:chararray,
        position_to:chararray, workflow_status:chararray);
relation = LOAD '$relation' USING PigStorage('\t')
    AS (id:chararray, concept_id:chararray, parent_concept_id:chararray, parent_level:chararray);

joined = JOIN annotations BY concept_id, relation BY concept_id USING 'replicated';
expanded = FOREACH joined GENERATE annotations::element_id, annotations::concept_id,
    relation::parent_concept_id, relation::parent_level;
STORE expanded INTO '$out' USING PigStorage('\t');
