-- Every document of a signed rendition (the rendition's PDF and each signed PDF made of it) with the SHA-256 recorded
-- when it was made, as "sha256  media-relative-path" lines (the format of sha256sum).
SELECT job.sha256, job.file
FROM yjplan_documentjob AS job
WHERE job.status = 'done' AND job.file <> '' AND (job.kind = 'yjplan.signed_plan' OR job.id IN (
    SELECT rendition.job_id FROM yjplan_rendition AS rendition
    WHERE EXISTS (SELECT 1 FROM yjplan_signature AS signature WHERE signature.rendition_id = rendition.id)
    UNION
    SELECT rendition.signed_job_id FROM yjplan_rendition AS rendition
    WHERE rendition.signed_job_id IS NOT NULL
))
ORDER BY job.file;
