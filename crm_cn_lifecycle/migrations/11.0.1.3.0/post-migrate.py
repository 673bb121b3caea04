"""11.0.1.3.0: the resume action of batched work runs after the other due
scheduled actions (priority 20), as on a new installation
(data/crm_cn_cron_batch_data.xml is noupdate). A priority changed by hand is
kept."""


def migrate(cr, version):
    if not version:
        return
    cr.execute("""UPDATE ir_cron SET priority = 20
                   WHERE priority = 5 AND id = (SELECT res_id FROM ir_model_data
                                                 WHERE module = 'crm_cn_lifecycle'
                                                   AND name = 'cron_resume_batches')""")
