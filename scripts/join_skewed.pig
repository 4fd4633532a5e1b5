-- A skewed join (Pig's USING 'skewed'; not one of the study's strategies): the expansion of
-- annotations by the concept relation; a sampling job finds the hot concepts of the FIRST input (the
-- Zipf-skewed annotations) and spreads each hot key's rows over several reducers.
--   pig -x mapreduce -param annotations=dfs:///d/annotations_wp -param relation=dfs:///d/relation \
--       -param out=dfs:///d/expanded scripts/join_skewed.pig
-- Output (tab-separated): element_id, concept_id, parent_concept_id, parent_level

annotations = LOAD '$annotations' USING PigStorage('\t')
    AS (concept_id:chararray, element_id:chararray, context_id:chararray,
        dictionary_id:chararray, term_id:chararray, position_from:chararray,
        position_to:chararray, workflow_status:chararray);
relation = LOAD '$relation' USING PigStorage('\t')
    AS (id:chararray, concept_id:chararray, parent_concept_id:chararray, parent_level:chararray);

joined = JOIN annotations BY concept_id, relation BY concept_id USING 'skewed';
expanded = FOREACH joined GENERATE annotations::element_id, annotations::concept_id,
    relation::parent_concept_id, relation::parent_level;
STORE expanded INTO '$out' USING PigStorage('\t');
