// SPDX-License-Identifier: GPL-2.0
/*
 * 000-mdev-devlink, fixed: the nxe NIC's devlink eswitch. Leaving
 * switchdev mode no longer unregisters the sub-function mdev parent under
 * devlink_mutex: ->eswitch_mode_set() marks the eswitch as disabling and
 * queues disable_work, which unregisters the parent (and so runs
 * synchronize_srcu()) with no lock held.
 */
/* expect: none */

#include "scenario.h"

static void nxe_esw_set_mode(struct nxe_eswitch *esw, enum nxe_esw_mode mode)
{
	spin_lock(&esw->lock);
	esw->mode = mode;
	spin_unlock(&esw->lock);
}

static void nxe_esw_disable_work(struct work_struct *work)
{
	struct nxe_dev *ndev =
		container_of(work, struct nxe_dev, esw.disable_work);

	dev_info(ndev->dev, "eswitch: leaving switchdev mode, %u VFs\n",
		 ndev->esw.nvfs);
	nxe_sf_parent_unregister(ndev);
	nxe_esw_set_mode(&ndev->esw, NXE_ESW_LEGACY);
}

static int nxe_devlink_eswitch_mode_set(struct devlink *devlink, u16 mode)
{
	struct nxe_dev *ndev = devlink_priv(devlink);
	struct nxe_eswitch *esw = &ndev->esw;
	enum nxe_esw_mode cur;
	int ret;

	spin_lock(&esw->lock);
	cur = esw->mode;
	if (cur == NXE_ESW_OFFLOADS && mode == DEVLINK_ESWITCH_MODE_LEGACY)
		esw->mode = NXE_ESW_DISABLING;
	spin_unlock(&esw->lock);

	switch (mode) {
	case DEVLINK_ESWITCH_MODE_LEGACY:
		if (cur == NXE_ESW_OFFLOADS)
			schedule_work(&esw->disable_work);
		return 0;
	case DEVLINK_ESWITCH_MODE_SWITCHDEV:
		if (cur == NXE_ESW_DISABLING)
			return -EBUSY;
		if (cur == NXE_ESW_OFFLOADS)
			return 0;
		ret = nxe_sf_parent_register(ndev);
		if (!ret)
			nxe_esw_set_mode(esw, NXE_ESW_OFFLOADS);
		return ret;
	default:
		return -EINVAL;
	}
}

static const struct devlink_ops nxe_devlink_ops = {
	.eswitch_mode_set = nxe_devlink_eswitch_mode_set,
};

static int nxe_probe(struct device *dev)
{
	struct devlink *devlink;
	struct nxe_dev *ndev;
	u32 nvfs;

	devlink = devlink_alloc(&nxe_devlink_ops, sizeof(*ndev), dev);
	if (!devlink)
		return -ENOMEM;
	ndev = devlink_priv(devlink);
	ndev->dev = dev;
	ndev->devlink = devlink;
	ndev->bar = ioremap(NXE_BAR_BASE, NXE_BAR_LEN);
	if (!ndev->bar) {
		devlink_free(devlink);
		return -ENOMEM;
	}
	spin_lock_init(&ndev->esw.lock);
	INIT_WORK(&ndev->esw.disable_work, nxe_esw_disable_work);

	nvfs = readl(ndev->bar + NXE_CAP_NVFS);
	switch (nvfs) {
	case 1 ... 4:
		ndev->esw.nvfs = nvfs;
		break;
	default:
		dev_warn(dev, "unsupported VF count %u\n", nvfs);
		break;
	}

	dev_set_drvdata(dev, ndev);
	devlink_register(devlink);
	return 0;
}

static int nxe_remove(struct device *dev)
{
	struct nxe_dev *ndev = dev_get_drvdata(dev);

	devlink_unregister(ndev->devlink);
	/* No devlink command can queue it again; nothing is held here. */
	flush_work(&ndev->esw.disable_work);
	if (ndev->esw.mode == NXE_ESW_OFFLOADS)
		nxe_sf_parent_unregister(ndev);
	iounmap(ndev->bar);
	devlink_free(ndev->devlink);
	return 0;
}

static struct device_driver nxe_driver = {
	.name	= "nxe",
	.probe	= nxe_probe,
	.remove	= nxe_remove,
};
module_driver(nxe_driver, driver_register, driver_unregister);
MODULE_LICENSE("GPL");
